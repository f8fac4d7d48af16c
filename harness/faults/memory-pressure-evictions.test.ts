import { describe, expect, it } from "vitest";
import { evictionsBesidesFiller } from "./memory-pressure.js";

// INFO evicted_keys counts the fault's own filler: left in, it would excuse that many lost writes.
describe("evictionsBesidesFiller", () => {
  it("takes out the filler that was written, not refused, and not found afterwards", () => {
    // 1,024 filler keys, none refused, 941 removed at heal: 83 filler keys were evicted.
    expect(evictionsBesidesFiller(2_823, { written: 1_024, refused: 0, removed: 941 })).toBe(2_740);
  });

  it("counts refused filler as never written, and keeps every eviction when all filler came back", () => {
    expect(evictionsBesidesFiller(500, { written: 1_024, refused: 24, removed: 1_000 })).toBe(500);
    expect(evictionsBesidesFiller(0, { written: 1_024, refused: 1_024, removed: 0 })).toBe(0);
  });

  it("never goes below zero", () => {
    expect(evictionsBesidesFiller(10, { written: 1_024, refused: 0, removed: 0 })).toBe(0);
  });
});
