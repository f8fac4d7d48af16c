import { describe, expect, it } from "vitest";
import { effectiveConf } from "./effective-conf.js";
import { parseConf } from "./parse-conf.js";
import { evictionScope, formatBytes, parseRedisBytes } from "./redis-memory.js";

describe("parseRedisBytes", () => {
  it("reads sizes as Redis's memtoull does: kb/mb/gb are powers of 1024, k/m/g of 1000, any case", () => {
    expect(parseRedisBytes("0")).toBe(0);
    expect(parseRedisBytes("4096")).toBe(4096);
    expect(parseRedisBytes("1gb")).toBe(1024 ** 3);
    expect(parseRedisBytes("1GB")).toBe(1024 ** 3);
    expect(parseRedisBytes("1g")).toBe(1e9);
    expect(parseRedisBytes("512mb")).toBe(512 * 1024 ** 2);
    expect(parseRedisBytes("100k")).toBe(100_000);
  });

  it("refuses what Redis refuses", () => {
    expect(parseRedisBytes("1gib")).toBeUndefined();
    expect(parseRedisBytes("-1")).toBeUndefined();
    expect(parseRedisBytes("lots")).toBeUndefined();
    expect(parseRedisBytes("")).toBeUndefined();
    // memtoull skips no whitespace: `maxmemory " 1gb "` stops Redis at startup.
    expect(parseRedisBytes(" 1gb ")).toBeUndefined();
    expect(parseRedisBytes("1gb\t")).toBeUndefined();
  });
});

describe("evictionScope", () => {
  it("sorts every policy by what it deletes", () => {
    expect(["allkeys-lru", "allkeys-lfu", "allkeys-lrm", "allkeys-random"].map(evictionScope)).toEqual(["allkeys", "allkeys", "allkeys", "allkeys"]);
    expect(["volatile-lru", "volatile-lfu", "volatile-lrm", "volatile-random", "volatile-ttl"].map(evictionScope)).toEqual(["volatile", "volatile", "volatile", "volatile", "volatile"]);
    expect(evictionScope("noeviction")).toBe("none");
    expect(evictionScope("NoEviction")).toBe("none");
  });

  it("counts a policy it does not know as evicting, so a newer release's policy cannot pass as noeviction", () => {
    expect(evictionScope("volatile-xyz")).toBe("volatile");
    expect(evictionScope("allkeys-xyz")).toBe("allkeys");
    expect(evictionScope("lrm")).toBe("allkeys");
    // Inherited keys name no policy.
    expect(evictionScope("constructor")).toBe("allkeys");
  });
});

describe("maxmemory in the effective settings", () => {
  it("defaults to no limit and noeviction (config.c), and reads the last line", () => {
    expect(effectiveConf(parseConf("appendonly yes\n"))).toMatchObject({ maxmemory: { value: 0 }, maxmemoryPolicy: { value: "noeviction" } });
    const conf = effectiveConf(parseConf("maxmemory 2mb\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n"));
    expect(conf).toMatchObject({ maxmemory: { value: 1024 ** 3, line: 2 }, maxmemoryPolicy: { value: "allkeys-lru", line: 3 } });
  });
});

describe("formatBytes", () => {
  it("names the largest whole unit", () => {
    expect([formatBytes(1024 ** 3), formatBytes(1536 * 1024 ** 2), formatBytes(4 * 1024 ** 2), formatBytes(100)]).toEqual(["1 GiB", "1.5 GiB", "4 MiB", "100 bytes"]);
  });
});
