import { describe, expect, it } from "vitest";
import { checkContract } from "./check-contract.js";
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
