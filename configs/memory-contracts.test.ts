import { describe, expect, it } from "vitest";
import { contractFor } from "./disk-fault-contracts.js";
import { memoryFaultContract, memoryPressureContract } from "./memory-contracts.js";
import { MODES } from "./modes.js";

describe("memory contracts", () => {
  it("let allkeys-* lose what it evicts; noeviction and volatile-* (for keys without a TTL) lose nothing", () => {
    expect(memoryPressureContract("allkeys-lfu").contract).toEqual({ kind: "evicted-only", measurement: "evictedKeys" });
    expect(memoryPressureContract("volatile-random").contract).toEqual({ kind: "none-lost" });
    expect(memoryPressureContract("volatile-lru").source).toMatch(/volatile-\* evicts "only keys with an expire set"/);
    expect(memoryPressureContract("noeviction")).toMatchObject({ contract: { kind: "none-lost" }, source: expect.stringMatching(/Don't evict anything/) });
  });

  it("read a mode's own policy (the shipped configs keep the default noeviction), or the forced one", () => {
    expect(contractFor(MODES["aof-always"], "memory-pressure").contract.kind).toBe("none-lost");
    expect(contractFor(MODES["aof-always"], "memory-pressure-allkeys-lru").contract.kind).toBe("evicted-only");
  });

  it("name no contract for a fault that only contains the memory-pressure name", () => {
    expect(memoryFaultContract(MODES["aof-always"], "no-memory-pressure-allkeys-lru")).toBeUndefined();
    expect(memoryFaultContract(MODES["aof-always"], "memory-pressure-allkeys-lru")?.contract.kind).toBe("evicted-only");
  });

  it("hold an OOM kill in a fork to the mode's crash contract", () => {
    expect(contractFor(MODES.rdb, "fork-under-memory-limit")).toMatchObject({ contract: MODES.rdb.contracts.sigkill.contract, source: expect.stringMatching(/OOM killer ends a process with SIGKILL/) });
  });
});
