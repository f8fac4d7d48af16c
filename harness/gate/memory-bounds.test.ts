import { describe, expect, it } from "vitest";
import { documentedBoundFor } from "./documented-bound.js";
import { effectiveConf } from "./effective-conf.js";
import { forkHeadroomHazard } from "./eviction-hazard.js";
import { explainConf } from "./explain-conf.js";
import { adviceFor } from "./gate-advice.js";
import { gateFault } from "./gate-faults.js";
import { parseConf } from "./parse-conf.js";

const read = (text: string) => {
  const conf = effectiveConf(parseConf(text));
  return { conf, explanation: explainConf(conf) };
};
const everysec = 'save ""\nappendonly yes\n';
const facts = (text: string, limit?: number) => {
  const { conf } = read(text);
  return {
    shutdownOutlastsGrace: false,
    dirOnVolume: true,
    dir: "/data",
    memory: { maxmemoryBytes: conf.maxmemory.value, policy: conf.maxmemoryPolicy.value, ...(limit ? { limit: { bytes: limit, text: "512m, compose mem_limit" } } : {}) },
  };
};
const bound = (fault: string, text: string, limit?: number) => documentedBoundFor(fault, read(text).explanation, facts(text, limit));
const MiB = 1024 ** 2;

describe("the documented bound of memory pressure", () => {
  it("is unbounded under allkeys-*, nothing acknowledged under noeviction or (keys without a TTL) volatile-*", () => {
    expect(bound("memory-pressure", `${everysec}maxmemory 1gb\nmaxmemory-policy allkeys-lru\n`)).toMatchObject({ maxMs: null, text: expect.stringMatching(/acknowledged writes included/) });
    expect(bound("memory-pressure", `${everysec}maxmemory 1gb\nmaxmemory-policy volatile-ttl\n`)).toMatchObject({ maxMs: 0, text: expect.stringMatching(/nothing without a TTL/) });
    expect(bound("memory-pressure", `${everysec}maxmemory 1gb\n`)).toMatchObject({ maxMs: 0, text: expect.stringMatching(/refuses writes past maxmemory with OOM/) });
  });

  it("is nothing with `maxmemory 0`, whatever the policy: no limit, no eviction", () => {
    expect(bound("memory-pressure", `${everysec}maxmemory-policy allkeys-lru\n`)).toMatchObject({ maxMs: 0, text: expect.stringMatching(/maxmemory 0/) });
  });

  it("follows a forced policy", () => {
    expect(bound("memory-pressure-allkeys-lru", everysec).maxMs).toBeNull();
  });
});

describe("the documented bound of a fork under the memory limit", () => {
  it("is the crash bound when maxmemory does not keep a doubled dataset within the limit", () => {
    expect(bound("fork-under-memory-limit", everysec, 512 * MiB)).toMatchObject({ maxMs: 2000, text: expect.stringMatching(/^a BGSAVE or AOF rewrite .* 512 MiB \(512m, compose mem_limit\): the OOM killer's SIGKILL is a crash/) });
    expect(bound("fork-under-memory-limit", `${everysec}maxmemory 300mb\n`, 512 * MiB).maxMs).toBe(2000);
    expect(bound("fork-under-memory-limit", 'save ""\nappendonly yes\nappendfsync always\n', 512 * MiB).maxMs).toBe(0);
  });

  it("adds the measured saves as sigkill's crash bound does (a snapshot config waits for BGSAVEs)", () => {
    const rdb = "save 60 1\nappendonly no\n";
    const withSaves = { ...facts(rdb, 512 * MiB), saveMs: 3_000 };
    const fork = documentedBoundFor("fork-under-memory-limit", read(rdb).explanation, withSaves);
    expect(fork.maxMs).toBe(documentedBoundFor("sigkill", read(rdb).explanation, withSaves).maxMs);
    expect(fork.maxMs).toBe(67_000);
    // A crash bound with no saves to add carries no `plusSaves` key at all (JSON must not say undefined).
    expect(Object.hasOwn(bound("fork-under-memory-limit", everysec, 512 * MiB), "plusSaves")).toBe(false);
  });

  it("is nothing with maxmemory at most half the limit, or with no limit", () => {
    expect(bound("fork-under-memory-limit", `${everysec}maxmemory 256mb\n`, 512 * MiB)).toMatchObject({ maxMs: 0, text: expect.stringMatching(/at most half/) });
    expect(bound("fork-under-memory-limit", everysec)).toMatchObject({ maxMs: 0, text: expect.stringMatching(/sets none/) });
  });
});

describe("forkHeadroomHazard", () => {
  const hazard = (text: string, limit: number | undefined) => {
    const { conf, explanation } = read(text);
    return forkHeadroomHazard(conf, explanation, limit === undefined ? undefined : { bytes: limit, text: "512m, compose mem_limit" });
  };
  it("warns when a fork can pass the container's limit, at the maxmemory line", () => {
    expect(hazard(everysec, 512 * MiB)).toMatchObject({ id: "fork-may-pass-memory-limit", severity: "warning", failsGate: false });
    expect(hazard(`${everysec}maxmemory 300mb\n`, 512 * MiB)).toMatchObject({ line: 3, message: expect.stringMatching(/^`maxmemory 300 MiB` is more than half of the container's memory limit 512 MiB/) });
  });
  it("is silent without a limit, with maxmemory at most half of it, or without persistence (no fork)", () => {
    expect(hazard(everysec, undefined)).toBeUndefined();
    expect(hazard(`${everysec}maxmemory 256mb\n`, 512 * MiB)).toBeUndefined();
    expect(hazard('save ""\nappendonly no\n', 512 * MiB)).toBeUndefined();
  });
});

describe("gateFault for the memory faults", () => {
  it("runs the fork under the deployment's limit, and memory pressure only on the config's own maxmemory", () => {
    expect(gateFault("fork-under-memory-limit", 10_000, { bytes: 512 * MiB, text: "512m" })).toMatchObject({ memoryLimitBytes: 512 * MiB, description: expect.stringMatching(/memory limit 512 MiB \(the deployment's 512m\)/) });
    expect(gateFault("fork-under-memory-limit", 10_000).memoryLimitBytes).toBeUndefined();
    expect(gateFault("memory-pressure", 10_000).name).toBe("memory-pressure");
  });
});

describe("advice for the memory faults", () => {
  const advice = (fault: string, text: string) => adviceFor({ ...read(text), fault, validity: false, acknowledged: 10, maxLossMs: 0, graceMs: 10_000, shutdownMs: 100 });
  it("says noeviction for memory pressure, and half the limit for a fork (besides the crash advice)", () => {
    expect(advice("memory-pressure", `${everysec}maxmemory 1gb\nmaxmemory-policy allkeys-lru\n`)).toEqual([expect.stringMatching(/^set `maxmemory-policy noeviction` \(line 4\)/)]);
    const fork = advice("fork-under-memory-limit", everysec);
    expect(fork[0]).toMatch(/`maxmemory` at most half/);
    expect(fork[1]).toMatch(/appendfsync always/);
  });
});
