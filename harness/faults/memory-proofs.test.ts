import { describe, expect, it } from "vitest";
import { DEFAULT_MATRIX_FAULTS, MEMORY_FAULTS, NAMED_FAULTS } from "./index.js";
import { lastForkCowPeakMB, memoryLimitProof, memoryPressureProof, oomKillProof } from "./memory-proofs.js";

describe("memoryPressureProof", () => {
  it("asks evictions of allkeys-*, OOM errors of noeviction, either of volatile-*", () => {
    expect(memoryPressureProof("allkeys-lru", 10, 0).held).toBe(true);
    expect(memoryPressureProof("allkeys-lru", 0, 10).held).toBe(false);
    expect(memoryPressureProof("noeviction", 0, 5).held).toBe(true);
    expect(memoryPressureProof("noeviction", 5, 0).held).toBe(false);
    expect([memoryPressureProof("volatile-lru", 3, 0).held, memoryPressureProof("volatile-lru", 0, 3).held, memoryPressureProof("volatile-lru", 0, 0).held]).toEqual([true, true, false]);
    expect(memoryPressureProof("noeviction", 0, 5).seen).toBe("evicted_keys +0, OOM errors +5 (maxmemory-policy noeviction)");
  });
});

describe("oomKillProof", () => {
  it("holds only for exit code 137 with Docker's OOMKilled", () => {
    expect(oomKillProof({ running: false, exitCode: 137, oomKilled: true }).held).toBe(true);
    expect(oomKillProof({ running: false, exitCode: 137, oomKilled: false }).held).toBe(false);
    expect(oomKillProof({ running: false, exitCode: 0, oomKilled: true }).held).toBe(false);
    const survived = oomKillProof({ running: true, exitCode: 0, oomKilled: true });
    expect(survived).toMatchObject({ held: false, seen: expect.stringMatching(/still running .*another process of the container/) });
  });
});

describe("memoryLimitProof", () => {
  it("holds when the cgroup enforces the limit asked for", () => {
    expect(memoryLimitProof(256, 256).held).toBe(true);
    expect(memoryLimitProof(500_000_000, 499_998_720).held).toBe(true);
    expect(memoryLimitProof(500_000_000, 1_000_000_000).held).toBe(false);
    expect(memoryLimitProof(256, undefined)).toMatchObject({ held: false, seen: "the container's cgroup shows no memory limit" });
  });
});

describe("the memory faults", () => {
  it("can be named on the command line but are not in the default matrix (opt-in)", () => {
    for (const name of Object.keys(MEMORY_FAULTS)) {
      expect(NAMED_FAULTS[name]?.name).toBe(name);
      expect(DEFAULT_MATRIX_FAULTS).not.toContain(name);
    }
    expect(DEFAULT_MATRIX_FAULTS).toContain("sigkill");
    expect(MEMORY_FAULTS["fork-under-memory-limit"]?.memoryLimitBytes).toBe(256 * 1024 ** 2);
  });
});

describe("lastForkCowPeakMB", () => {
  it("takes the peak the last finished fork logged", () => {
    const log = "20:C * Fork CoW for AOF rewrite: current 45 MB, peak 45 MB, average 32 MB\n10:C * Fork CoW for RDB: current 4 MB, peak 61 MB, average 2 MB\n";
    expect(lastForkCowPeakMB(log)).toBe(61);
    expect(lastForkCowPeakMB(log.split("\n").reverse().join("\n"))).toBe(45);
    expect(lastForkCowPeakMB("1:M * Background saving started by pid 15\n")).toBeUndefined();
  });
});
