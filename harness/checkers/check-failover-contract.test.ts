import { describe, expect, it } from "vitest";
import { REPLICATION_ALLOWANCE_MS, checkContract } from "./check-contract.js";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";

const fault = [{ name: FAULT_MARK, invokeAtMs: 100, okAtMs: 110 }];

// Client 0 writes to the old primary until the fault, then to the new one; `lost` of its writes after 90 ms are lost.
function failoverRun(lostAfterFault: boolean, extra: ScriptedWrite[] = []): ReturnType<typeof scripted> {
  const writes: ScriptedWrite[] = [
    { client: 0, seq: 0, invokeAtMs: 10, okAtMs: 11, survives: true },
    { client: 0, seq: 1, invokeAtMs: 95, okAtMs: 96, survives: !lostAfterFault },
    { client: 0, seq: 2, invokeAtMs: 105, okAtMs: 106, survives: !lostAfterFault },
    { client: 0, seq: 3, invokeAtMs: 200, okAtMs: 201, survives: true },
    ...extra,
  ];
  return scripted(writes, fault);
}

const judge = (kind: "some-lost" | "may-lose", run: ReturnType<typeof scripted>) => checkContract({ kind }, analyzeLoss(run.history, run.readBack), run.history);

describe("failover contracts", () => {
  it("some-lost holds when the old primary's acknowledgements are lost and later writes to the new primary survive (no gap check across the failover)", () => {
    const verdict = judge("some-lost", failoverRun(true));
    expect(verdict.valid, verdict.reasons.join("; ")).toBe(true);
    expect(verdict.figures.gaps).toBeGreaterThan(0);
  });

  it("some-lost is broken when nothing acknowledged was lost: the fault did not bite as documented", () => {
    const verdict = judge("some-lost", failoverRun(false));
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons.join(" ")).toMatch(/no acknowledged write lost/);
  });

  it("some-lost and may-lose fail a loss of writes the replicas already had (acknowledged well before the fault), and a total loss", () => {
    const late = 100 + REPLICATION_ALLOWANCE_MS + 10;
    const early: ScriptedWrite[] = [
      { client: 1, seq: 0, invokeAtMs: 1, okAtMs: 2, survives: false },
      { client: 1, seq: 1, invokeAtMs: late - 5, okAtMs: late, survives: true },
    ];
    const shifted = (run: ReturnType<typeof scripted>) => ({ ...run, history: { ...run.history, marks: [{ name: FAULT_MARK, invokeAtMs: late + 50, okAtMs: late + 60 }] } });
    for (const kind of ["some-lost", "may-lose"] as const) {
      const verdict = judge(kind, shifted(failoverRun(true, early)));
      expect(verdict.valid, kind).toBe(false);
      expect(verdict.reasons.join(" ")).toMatch(/acknowledged more than 1000 ms before the fault were lost/);
    }
    // Everything lost, the writes of long before the fault too: "all 4 lost" is no failover's loss.
    const all = scripted([0, 1, 2, 3].map((seq) => ({ client: 0, seq, invokeAtMs: seq * 600, okAtMs: seq * 600 + 1, survives: false })), [{ name: FAULT_MARK, invokeAtMs: 2_000, okAtMs: 2_010 }]);
    for (const kind of ["some-lost", "may-lose"] as const) {
      const verdict = judge(kind, all);
      expect(verdict.valid, kind).toBe(false);
      expect(verdict.reasons.join(" ")).toMatch(/all 4 acknowledged writes lost/);
    }
  });

  it("some-lost and may-lose are unknown without a fault mark", () => {
    const run = failoverRun(true);
    expect(judge("may-lose", { ...run, history: { ...run.history, marks: [] } }).valid).toBe("unknown");
  });

  it("may-lose holds whatever the failover lost", () => {
    expect(judge("may-lose", failoverRun(true)).valid).toBe(true);
    expect(judge("may-lose", failoverRun(false)).valid).toBe(true);
  });

  it("may-lose is broken by a corrupted record", () => {
    const verdict = judge("may-lose", failoverRun(false, [{ client: 1, seq: 0, invokeAtMs: 20, okAtMs: 21, survives: "corrupted" }]));
    expect(verdict.valid).toBe(false);
  });

  it("may-lose is broken when, before the fault, a lost acknowledged write is contradicted by a later-invoked survivor (a replica holds a prefix of the primary's stream)", () => {
    const run = scripted(
      [
        { client: 0, seq: 0, invokeAtMs: 10, okAtMs: 11, survives: false },
        { client: 1, seq: 0, invokeAtMs: 50, okAtMs: 51, survives: true },
      ],
      fault,
    );
    const verdict = judge("may-lose", run);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons.join(" ")).toMatch(/before the fault/);
  });

  it("reordering across the failover is not held against it: a lost write before the fault, a survivor invoked after it", () => {
    const run = scripted(
      [
        { client: 0, seq: 0, invokeAtMs: 90, okAtMs: 91, survives: false },
        { client: 1, seq: 0, invokeAtMs: 150, okAtMs: 151, survives: true },
      ],
      fault,
    );
    expect(judge("may-lose", run).valid).toBe(true);
  });
});
