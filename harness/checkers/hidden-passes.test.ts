import { describe, expect, it } from "vitest";
import { PRELOAD_MARK, checkContract } from "./check-contract.js";
import type { Contract } from "./contract.js";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { lostOnlyToEviction } from "./evictions.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";

// Inputs a fresh-context review built to make a verdict pass wrongly (helper-29): each was valid.

const refusedThenAcked = (refused: number, acked: number, faultAt: number, faultEnd: number): ScriptedWrite[] => [
  ...Array.from({ length: refused }, (_, i) => ({ client: 0, seq: i, invokeAtMs: i * 100, okAtMs: i * 100 + 1, result: "fail" as const, survives: false })),
  ...Array.from({ length: acked }, (_, i) => ({ client: 0, seq: refused + i, invokeAtMs: faultEnd + i * 100, okAtMs: faultEnd + i * 100 + 1, survives: true })),
];

describe("a run where nothing acknowledged was at risk when the fault struck", () => {
  const verdict = (contract: Contract, writes: ScriptedWrite[], faultAt: number, faultEnd: number) => {
    const { history, readBack } = scripted(writes, [{ name: FAULT_MARK, invokeAtMs: faultAt, okAtMs: faultEnd }]);
    return checkContract(contract, analyzeLoss(history, readBack), history);
  };

  it("is unknown, not valid, when every write before the fault was refused and only later ones were acknowledged", () => {
    for (const contract of [{ kind: "failover-window", maxMs: 1_000 }, { kind: "may-lose" }, { kind: "none-lost" }] as Contract[]) {
      const v = verdict(contract, refusedThenAcked(50, 30, 5_000, 6_000), 5_000, 6_000);
      expect(v.valid, contract.kind).toBe("unknown");
      expect(v.reasons.join(" "), contract.kind).toMatch(/no write invoked before the fault was acknowledged/);
    }
  });

  it("stays valid when one write invoked before the fault was acknowledged", () => {
    const writes = refusedThenAcked(50, 30, 5_000, 6_000);
    writes.push({ client: 1, seq: 0, invokeAtMs: 4_990, okAtMs: 5_020, survives: true });
    expect(verdict({ kind: "none-lost" }, writes, 5_000, 6_000).valid).toBe(true);
  });

  it("counts a write sent at the very instant of the fault as not before it (as the quiet period does)", () => {
    const writes = refusedThenAcked(50, 30, 5_000, 6_000);
    writes.push({ client: 1, seq: 0, invokeAtMs: 5_000, okAtMs: 5_020, survives: true });
    const { history, readBack } = scripted(writes, [{ name: FAULT_MARK, invokeAtMs: 5_000, okAtMs: 6_000 }]);
    expect(analyzeLoss(history, readBack).acknowledgedBeforeFault).toBe(0);
  });

  it("leaves a run with no acknowledgement at all to the one reason that says so", () => {
    const v = verdict({ kind: "none-lost" }, refusedThenAcked(50, 0, 5_000, 6_000), 5_000, 6_000);
    expect(v.valid).toBe("unknown");
    expect(v.reasons).toEqual(["no write was acknowledged, so the run cannot tell what was lost"]);
  });
});

describe("a failover's early loss", () => {
  it("names a total loss only when the window is unbounded", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 100, okAtMs: 200, survives: true },
      { client: 0, seq: 1, invokeAtMs: 300, okAtMs: 400, survives: false },
      { client: 0, seq: 2, invokeAtMs: 4_900, okAtMs: 4_950, survives: true },
    ];
    const { history, readBack } = scripted(writes, [{ name: FAULT_MARK, invokeAtMs: 5_000, okAtMs: 6_000 }]);
    const v = checkContract({ kind: "may-lose" }, analyzeLoss(history, readBack), history);
    const early = v.reasons.find((r) => /before the fault were lost/.test(r));
    expect(early).toMatch(/^1 writes acknowledged more than 1000 ms before the fault were lost: the replicas had them/);
  });
});

describe("the preloaded dataset, counted by name", () => {
  const writes: ScriptedWrite[] = [{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: true }];
  const verdict = (contract: Contract, extraKeys: number, datasetKeys: number | undefined, marks = [{ name: PRELOAD_MARK, invokeAtMs: -100, okAtMs: -50 }]) => {
    const { history, readBack } = scripted(writes, marks, extraKeys, datasetKeys);
    return checkContract(contract, analyzeLoss(history, readBack), history, 100);
  };

  it("fails when a preloaded key is lost and a key nobody wrote appears (DBSIZE alone matches)", () => {
    const v = verdict({ kind: "none-lost" }, 100, 99);
    expect(v.valid).toBe(false);
    expect(v.reasons).toContain("1 keys came back that neither the preload nor the writers wrote");
    expect(verdict({ kind: "window", maxMs: 1_000 }, 100, 99).valid).toBe(false);
  });

  it("fails a since-last-fsync contract the same way, and under eviction", () => {
    const fsync = [
      { name: "fsync", invokeAtMs: -200, okAtMs: -150 },
      { name: PRELOAD_MARK, invokeAtMs: -300, okAtMs: -250 },
    ];
    expect(verdict({ kind: "since-last-fsync", mark: "fsync" } as Contract, 100, 99, fsync).valid).toBe(false);
    const { history, readBack } = scripted(writes, [], 100, 99);
    const evicted = checkContract({ kind: "evicted-only", measurement: "evictedKeys" }, analyzeLoss(history, readBack), history, 100, { evictedKeys: 5 });
    expect(evicted.valid).toBe(false);
    expect(evicted.reasons).toContain("1 keys came back that neither the preload nor the writers wrote");
  });

  it("fails a preload sent after the last fsync that comes back as strays", () => {
    const marks = [
      { name: "fsync", invokeAtMs: -300, okAtMs: -250 },
      { name: PRELOAD_MARK, invokeAtMs: -200, okAtMs: -150 },
    ];
    const v = verdict({ kind: "since-last-fsync", mark: "fsync" } as Contract, 1, 0, marks);
    expect(v.valid).toBe(false);
    expect(v.reasons).toContain("1 keys came back that neither the preload nor the writers wrote");
  });

  it("takes only missing writes for evicted ones: a corrupted record was not evicted", () => {
    const { history, readBack } = scripted([{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: "corrupted" }], [], 100, 100);
    expect(lostOnlyToEviction(analyzeLoss(history, readBack), 100, 0).valid).toBe(true);
  });

  it("passes the intact preload, and judges by DBSIZE where the read-back did not count by name", () => {
    expect(verdict({ kind: "none-lost" }, 100, 100).valid).toBe(true);
    expect(verdict({ kind: "none-lost" }, 100, undefined).valid).toBe(true);
    expect(verdict({ kind: "none-lost" }, 99, undefined).valid).toBe(false);
  });
});
