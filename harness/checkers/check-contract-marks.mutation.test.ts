import { describe, expect, it } from "vitest";
import { PRELOAD_MARK, REPLICATION_ALLOWANCE_MS, checkContract, preloadBatchMark } from "./check-contract.js";
import type { Contract } from "./contract.js";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";

type MarkSpec = { name: string; invokeAtMs: number; okAtMs: number };
function verdictOf(contract: Contract, writes: ScriptedWrite[], marks: MarkSpec[], extraKeys = 0, preloaded = 0) {
  const { history, readBack } = scripted(writes, marks, extraKeys);
  return checkContract(contract, analyzeLoss(history, readBack), history, preloaded);
}
const mark = (name: string, invokeAtMs: number, okAtMs = invokeAtMs): MarkSpec => ({ name, invokeAtMs, okAtMs });

describe("failover contracts: writes the replicas already had", () => {
  const replicatedReason = /acknowledged more than 1000 ms before the fault were lost/;

  it("measures the allowance from the fault mark, not from whichever mark comes first", () => {
    // The fault struck at 2000; a mark recorded earlier in the list sits at 10000.
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 1_400, okAtMs: 1_500, survives: false },
      { client: 1, seq: 0, invokeAtMs: 1_400, okAtMs: 1_600, survives: true },
    ];
    const verdict = verdictOf({ kind: "may-lose" }, writes, [mark("bgsave", 10_000, 10_050), mark(FAULT_MARK, 2_000, 2_100)]);
    expect(verdict.reasons.filter((r) => replicatedReason.test(r))).toEqual([]);
  });

  it("allows a loss acknowledged exactly the allowance before the fault", () => {
    const atBoundary = 3_000 - REPLICATION_ALLOWANCE_MS;
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: atBoundary - 100, okAtMs: atBoundary, survives: false },
      { client: 0, seq: 1, invokeAtMs: 2_900, okAtMs: 2_950, survives: false },
      { client: 1, seq: 0, invokeAtMs: atBoundary - 200, okAtMs: atBoundary - 150, survives: true },
    ];
    const verdict = verdictOf({ kind: "some-lost" }, writes, [mark(FAULT_MARK, 3_000, 3_100)]);
    expect(verdict.reasons.filter((r) => replicatedReason.test(r))).toEqual([]);
    expect(verdict.valid).toBe(true);
  });
});

describe("failover contracts: real-time order among the writes to the old primary", () => {
  const orderReason = /acknowledged writes to the old primary lost/;
  // Client 0's write is acknowledged at 11 and lost; client 1's, invoked at 20, survives.
  const violation: ScriptedWrite[] = [
    { client: 0, seq: 0, invokeAtMs: 10, okAtMs: 11, survives: false },
    { client: 1, seq: 0, invokeAtMs: 20, okAtMs: 21, survives: true },
  ];

  it("tells the old primary's writes by the fault mark, not by whichever mark comes first", () => {
    const verdict = verdictOf({ kind: "may-lose" }, violation, [mark("bgsave", 0, 5), mark(FAULT_MARK, 100, 110)]);
    expect(verdict.reasons.filter((r) => orderReason.test(r))).toHaveLength(1);
    expect(verdict.valid).toBe(false);
  });

  it("leaves out a survivor invoked exactly when the fault struck: it may have gone to the new primary", () => {
    const atFault: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 10, okAtMs: 11, survives: false },
      { client: 1, seq: 0, invokeAtMs: 100, okAtMs: 101, survives: true },
    ];
    const verdict = verdictOf({ kind: "may-lose" }, atFault, [mark(FAULT_MARK, 100, 110)]);
    expect(verdict.reasons.filter((r) => orderReason.test(r))).toEqual([]);
    expect(verdict.valid).toBe(true);
  });
});

describe("since-last-fsync: the preloaded dataset against the fsync mark", () => {
  const contract: Contract = { kind: "since-last-fsync", mark: "fsync" };
  // One write acknowledged before the fsync survives, one invoked after it is lost: the writes keep the contract.
  const writes: ScriptedWrite[] = [
    { client: 0, seq: 0, invokeAtMs: 300, okAtMs: 301, survives: true },
    { client: 0, seq: 1, invokeAtMs: 600, okAtMs: 601, survives: false },
  ];

  it("reads the fsync mark by its name, not the first mark of the history (the preload)", () => {
    // The preload finished at 100, long before the fsync at 500: all 100 keys must come back, and did.
    const verdict = verdictOf(contract, writes, [mark(PRELOAD_MARK, 0, 100), mark("fsync", 500, 510)], 100, 100);
    expect(verdict).toMatchObject({ valid: true, reasons: [] });
  });

  it("judges a preload acknowledged exactly when the fsync began by its round trips: the last one may be lost", () => {
    const marks = [mark(PRELOAD_MARK, 0, 500), mark(preloadBatchMark(50), 0, 250), mark(preloadBatchMark(100), 250, 500), mark("fsync", 500, 510)];
    const verdict = verdictOf(contract, writes, marks, 50, 100);
    expect(verdict).toMatchObject({ valid: true, reasons: [] });
  });

  // One write acknowledged before the fsync (kept), one after it (lost).
  const late: ScriptedWrite[] = [
    { client: 0, seq: 0, invokeAtMs: 50, okAtMs: 51, survives: true },
    { client: 0, seq: 1, invokeAtMs: 600, okAtMs: 601, survives: false },
  ];

  it("judges a preload sent exactly when the fsync completed by its round trips: the first one may be covered", () => {
    const marks = [mark("fsync", 100, 110), mark(PRELOAD_MARK, 110, 200), mark(preloadBatchMark(50), 110, 150), mark(preloadBatchMark(100), 150, 200)];
    const verdict = verdictOf(contract, late, marks, 50, 100);
    expect(verdict).toMatchObject({ valid: true, reasons: [] });
  });

  it("fails when preloaded keys come back that were all sent after the fsync", () => {
    const verdict = verdictOf(contract, late, [mark("fsync", 100, 110), mark(PRELOAD_MARK, 200, 300)], 30, 100);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(["30 of the 100 preloaded keys came back, though no fsync covered them"]);
  });
});

describe("snapshot contracts: the mark's own instant", () => {
  it("allows the loss of a write acknowledged exactly when the snapshot was requested (it may or may not be in it)", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 900, okAtMs: 950, survives: true },
      { client: 0, seq: 1, invokeAtMs: 990, okAtMs: 1_000, survives: false },
      { client: 0, seq: 2, invokeAtMs: 1_100, okAtMs: 1_150, survives: false },
    ];
    const verdict = verdictOf({ kind: "after-snapshot-only", mark: "snapshot" }, writes, [mark("snapshot", 1_000, 1_050), mark(FAULT_MARK, 1_200, 1_250)]);
    expect(verdict.reasons.join(" ")).not.toMatch(/before the snapshot were lost/);
  });
});
