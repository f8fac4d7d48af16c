import { describe, expect, it } from "vitest";
import { VERSION_DIFFERENCES, compareVersions, extraVersionsUnderTest, hasBehaviour } from "./version-differences.js";

describe("version differences", () => {
  it("compares dotted versions numerically", () => {
    expect(compareVersions("7.0.3", "7.0.15")).toBe(-1);
    expect(compareVersions("7.2", "7.2.0")).toBe(0);
    expect(compareVersions("8.0.2", "7.4.1")).toBe(1);
  });

  it("knows which servers fsync ACL SAVE and which use a multi-part AOF", () => {
    expect(hasBehaviour("7.0.15", VERSION_DIFFERENCES.aclSaveFsync)).toBe(false);
    expect(hasBehaviour("7.2.0", VERSION_DIFFERENCES.aclSaveFsync)).toBe(true);
    expect(hasBehaviour("valkey 8.1.1", VERSION_DIFFERENCES.aclSaveFsync)).toBe(true);
    expect(hasBehaviour("6.0.16", VERSION_DIFFERENCES.multiPartAof)).toBe(false);
  });

  it("reads REDIS_VERSIONS and rejects unknown versions by name", () => {
    expect(extraVersionsUnderTest(undefined)).toEqual(["6.0"]);
    expect(extraVersionsUnderTest("8.0, valkey-8.1,default")).toEqual(["8.0", "valkey-8.1"]);
    expect(() => extraVersionsUnderTest("6.1")).toThrow(/unknown version "6.1"; known versions: default, 6.0/);
  });
});
