import { describe, expect, it } from "vitest";
import { VERSION_DIFFERENCES, compareVersions, hasBehaviour } from "./version-differences.js";

describe("compareVersions", () => {
  it("gives -1, 0 or 1, never the difference itself", () => {
    expect(compareVersions("8.0.2", "6.0.16")).toBe(1);
    expect(compareVersions("6.0.16", "8.0.2")).toBe(-1);
    expect(compareVersions("7.0.15", "7.0.3")).toBe(1);
    expect(compareVersions("7.0.15", "7.0.15")).toBe(0);
  });

  it("reads a missing part as 0, on either side", () => {
    expect(compareVersions("7.2.1", "7.2")).toBe(1);
    expect(compareVersions("7.2", "7.2.1")).toBe(-1);
    expect(compareVersions("7", "7.0.0")).toBe(0);
  });

  it("decides by the first part that differs", () => {
    expect(compareVersions("7.10.0", "7.9.9")).toBe(1);
    expect(compareVersions("6.9.9", "7.0.0")).toBe(-1);
  });
});

describe("hasBehaviour", () => {
  it("counts the release that introduced a behaviour as having it", () => {
    expect(hasBehaviour("7.0.3", VERSION_DIFFERENCES.dirFsyncAfterRename)).toBe(true);
    expect(hasBehaviour("7.0.2", VERSION_DIFFERENCES.dirFsyncAfterRename)).toBe(false);
    expect(hasBehaviour("7.0.0", VERSION_DIFFERENCES.multiPartAof)).toBe(true);
  });

  it("reads Valkey as the Redis it forked from (7.2.4), whatever its own number", () => {
    const after = { id: "x", since: "7.2.5", before: "", after: "", source: "" };
    const at = { ...after, since: "7.2.4" };
    expect(hasBehaviour("valkey 8.1.1", at)).toBe(true);
    expect(hasBehaviour("valkey 8.1.1", after)).toBe(false);
    // Without the prefix, the same number is a Redis release.
    expect(hasBehaviour("8.1.1", after)).toBe(true);
  });

  it("dates each known difference as the release notes do", () => {
    expect(Object.fromEntries(Object.entries(VERSION_DIFFERENCES).map(([k, d]) => [k, [d.id, d.since]]))).toEqual({
      multiPartAof: ["multi-part-aof", "7.0.0"],
      dirFsyncAfterRename: ["dir-fsync-after-rename", "7.0.3"],
      aclSaveFsync: ["acl-save-fsync", "7.2.0"],
      shutdownOnSigterm: ["shutdown-on-sigterm", "7.0.0"],
      failoverCommand: ["failover-command", "6.2.0"],
      shutdownWaitsForReplicas: ["shutdown-waits-for-replicas", "7.0.0"],
      waitaof: ["waitaof", "7.2.0"],
    });
    for (const d of Object.values(VERSION_DIFFERENCES)) {
      expect(d.before).not.toBe("");
      expect(d.after).not.toBe("");
      expect(d.before).not.toBe(d.after);
    }
  });
});
