import { describe, expect, it } from "vitest";
import { REPLICATION_ALLOWANCE_MS, checkContract } from "./check-contract.js";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { failoverLossWindowMs } from "./failover-window.js";
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

describe("failover-window (min-replicas-max-lag)", () => {
  // As run-failover-cell judges it: the analysis carries the failover window.
  const judgeWindow = (maxMs: number, run: ReturnType<typeof scripted>) => {
    const measured = analyzeLoss(run.history, run.readBack);
    return checkContract({ kind: "failover-window", maxMs }, { ...measured, lossWindowMs: failoverLossWindowMs(measured.writes) }, run.history);
  };

  it("holds when the old primary's lost acknowledgements span no more than the bound after the client's last survivor, later survivors notwithstanding", () => {
    // Lost: acknowledged at 96 and 106; the last survivor before them at 11: a window of 95 ms.
    const verdict = judgeWindow(95, failoverRun(true));
    expect(verdict.valid, verdict.reasons.join("; ")).toBe(true);
    expect(verdict.figures.lossWindowMs).toBe(95);
    expect(verdict.figures.gaps).toBeGreaterThan(0);
    expect(judgeWindow(95, failoverRun(false)).valid).toBe(true);
  });

  it("is broken one millisecond past the bound", () => {
    const verdict = judgeWindow(94, failoverRun(true));
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons.join(" ")).toMatch(/loss window 95 ms exceeds 94 ms \(2 acknowledged writes lost\)/);
  });

  it("is broken by losing what the replicas already had, or a corrupted record, however wide the bound", () => {
    const late = 100 + REPLICATION_ALLOWANCE_MS + 10;
    const early: ScriptedWrite[] = [
      { client: 1, seq: 0, invokeAtMs: 1, okAtMs: 2, survives: true },
      { client: 1, seq: 1, invokeAtMs: 3, okAtMs: 4, survives: false },
      { client: 1, seq: 2, invokeAtMs: late - 5, okAtMs: late, survives: true },
    ];
    const run = failoverRun(true, early);
    const shifted = { ...run, history: { ...run.history, marks: [{ name: FAULT_MARK, invokeAtMs: late + 50, okAtMs: late + 60 }] } };
    expect(judgeWindow(1_000_000, shifted).valid).toBe(false);
    expect(judgeWindow(1_000_000, failoverRun(false, [{ client: 1, seq: 0, invokeAtMs: 20, okAtMs: 21, survives: "corrupted" }])).valid).toBe(false);
  });

  it("a client that lost every acknowledged write has no window: unknown on a short run, false on one longer than the bound", () => {
    const allLost = (span: number) =>
      scripted(
        [0, 1].map((seq) => ({ client: 0, seq, invokeAtMs: 1_000 + seq * span, okAtMs: 1_001 + seq * span, survives: false })),
        [{ name: FAULT_MARK, invokeAtMs: 1_000, okAtMs: 1_010 }],
      );
    const short = judgeWindow(3_000, allLost(100));
    expect(short.valid).toBe("unknown");
    expect(short.figures.lossWindowMs).toBeNull();
    const long = judgeWindow(3_000, allLost(10_000));
    expect(long.valid).toBe(false);
    expect(long.reasons.join(" ")).toMatch(/more than the 3000 ms window/);
  });
});
