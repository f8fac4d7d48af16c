import { describe, expect, it } from "vitest";
import { QUIET_BEFORE_FAULT_LIMIT_MS, checkContract } from "./check-contract.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";
import { clientRun, scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";

// Histories where the writers went quiet before the fault: measured from the last acknowledgement,
// a loss looks as young as the writers were slow.
const fault = (atMs: number) => [{ name: FAULT_MARK, invokeAtMs: atMs, okAtMs: atMs + 5 }];
const analysisOf = (writes: ScriptedWrite[], faultAtMs?: number) => {
  const { history, readBack } = scripted(writes, faultAtMs === undefined ? [] : fault(faultAtMs));
  return { history, analysis: analyzeLoss(history, readBack) };
};
const window = { kind: "window", maxMs: 1_000 } as const;
const noneLost = { kind: "none-lost" } as const;

describe("the loss window is measured back from the fault", () => {
  it("a client that stalled 900 ms before the fault: its lost tail is 900 ms old, not 40", () => {
    const { analysis } = analysisOf(clientRun(0, 100, 40), 999.5);
    // last surviving ack (seq 59) at 59.5; the fault at 999.5
    expect(analysis.lossWindowMs).toBe(940);
    expect(analysis.quietBeforeFaultMs).toBe(900);
  });

  it("fails a window contract the last-ack measure would pass", () => {
    const writes = clientRun(0, 100, 40);
    const stalled = analysisOf(writes, 1_500);
    expect(checkContract(window, stalled.analysis, stalled.history).valid).toBe(false);
    const unmarked = analysisOf(writes);
    expect(unmarked.analysis.lossWindowMs).toBe(40);
    expect(checkContract(window, unmarked.analysis, unmarked.history).valid).toBe(true);
  });

  it("a client that lost nothing has no window, however long before the fault it stopped", () => {
    const { analysis } = analysisOf([...clientRun(0, 100, 0), ...clientRun(1, 100, 10, 500)], 700);
    expect(analysis.lossWindowMs).toBe(700 - 589.5);
  });

  it("acknowledgements during the fault (a stop with grace) count from the last one", () => {
    const { analysis } = analysisOf(clientRun(0, 100, 40), 50);
    expect(analysis.lossWindowMs).toBe(40);
    // The quiet counts writes invoked before the fault: the last one was acknowledged 0.5 ms before it.
    expect(analysis.quietBeforeFaultMs).toBe(0.5);
  });

  it("acknowledgements of writes invoked after the fault (a new primary's, after a failover) do not hide a quiet before it", () => {
    // Two writes acknowledged long before the fault at 10 s, then 100 to a new primary from 14 s on: 8 s of quiet.
    const writes = [...clientRun(0, 2, 0, 1_000).map((w, i) => ({ ...w, invokeAtMs: 1_000 * (i + 1), okAtMs: 1_000 * (i + 1) + 0.5 })), ...clientRun(0, 100, 0, 14_000).map((w) => ({ ...w, seq: w.seq + 2 }))];
    const { analysis, history } = analysisOf(writes, 10_000);
    expect(analysis.quietBeforeFaultMs).toBeCloseTo(8_000 - 0.5);
    expect(checkContract(noneLost, analysis, history).valid).toBe("unknown");
  });
});

describe("writers silent before the fault make the verdict unknown", () => {
  it(`at ${QUIET_BEFORE_FAULT_LIMIT_MS} ms of quiet the run still counts; past it, it cannot show what the fault loses`, () => {
    const writes = clientRun(0, 100, 0);
    const atLimit = analysisOf(writes, 99.5 + QUIET_BEFORE_FAULT_LIMIT_MS);
    expect(checkContract(noneLost, atLimit.analysis, atLimit.history).valid).toBe(true);
    const past = analysisOf(writes, 100 + QUIET_BEFORE_FAULT_LIMIT_MS);
    const verdict = checkContract(noneLost, past.analysis, past.history);
    expect(verdict.valid).toBe("unknown");
    expect(verdict.reasons.join(" ")).toMatch(/last acknowledgement came 1001 ms before the fault/);
    expect(verdict.figures.quietBeforeFaultMs).toBe(1001);
  });

  it("a loss still fails, quiet or not", () => {
    const past = analysisOf(clientRun(0, 100, 5), 5_000);
    expect(checkContract(noneLost, past.analysis, past.history).valid).toBe(false);
  });

  it("does not apply to a contract that expects every write lost", () => {
    const past = analysisOf(clientRun(0, 100, 100), 5_000);
    expect(checkContract({ kind: "all-lost" }, past.analysis, past.history).valid).toBe(true);
  });
});
