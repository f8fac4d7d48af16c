// `maxmemory` written with the "b" unit Redis accepts (found by review: it once hid the hazard).
// Redis's memtoull (util.c, used for every MEMORY_CONFIG such as maxmemory, 6.0 through 8.0 and
// Valkey) reads `if (*u == '\0' || !strcasecmp(u,"b")) mul = 1;`: "1073741824b" is 1 GiB.
// parseRedisBytes has no "b" unit, so effectiveConf stores NaN, and evictionHazard's `!(limit > 0)`
// treats NaN as "no limit": an allkeys-lru eviction config loses its only failing hazard.
import { describe, expect, it } from "vitest";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import { findHazards } from "./hazards.js";
import { gateVerdict } from "./gate-verdict.js";
import { parseConf } from "./parse-conf.js";
import { parseRedisBytes } from "./redis-memory.js";

const AOF_ALWAYS = "appendonly yes\nappendfsync always\ndir /data\n";

function gateOf(text: string) {
  const conf = effectiveConf(parseConf(text));
  const hazards = findHazards(conf, explainConf(conf));
  // Every default fault measured within the bound (AOF always loses nothing to a kill, stop, or power cut).
  const checks = ["graceful-stop", "sigkill", "recreate-same-volume", "power-loss"].map((fault) => ({ fault, outcome: "pass" as const, decidedBy: [] }));
  return { conf, hazards, verdict: gateVerdict(checks, hazards) };
}

describe("maxmemory with the byte unit `b`", () => {
  it("control: `maxmemory 1gb` + allkeys-lru fails the gate on the eviction hazard", () => {
    const { verdict } = gateOf(`${AOF_ALWAYS}maxmemory 1gb\nmaxmemory-policy allkeys-lru\n`);
    expect(verdict.passed).toBe(false);
  });

  it("parseRedisBytes reads `1073741824b` as Redis does (1 GiB)", () => {
    expect(parseRedisBytes("1073741824b")).toBe(1024 ** 3);
    expect(parseRedisBytes("1073741824B")).toBe(1024 ** 3);
  });

  it("`maxmemory 1073741824b` + allkeys-lru still fails the gate (evicts acknowledged writes with no fault)", () => {
    const { conf, hazards, verdict } = gateOf(`${AOF_ALWAYS}maxmemory 1073741824b\nmaxmemory-policy allkeys-lru\n`);
    expect(verdict.passed, `gate passed; hazards: ${JSON.stringify(hazards.map((h) => h.id))}; maxmemory read as ${conf.maxmemory.value}`).toBe(false);
    expect(hazards.map((h) => h.id)).toContain("maxmemory-evicts-any-key");
  });

  it("a value the gate cannot read counts as a limit: the hazard stays, never hidden as `maxmemory 0`", () => {
    const conf = effectiveConf(parseConf(`${AOF_ALWAYS}maxmemory 1.5gb\nmaxmemory-policy allkeys-lru\n`));
    expect(conf.maxmemory.value).toBeNaN();
    expect(findHazards(conf, explainConf(conf)).find((h) => h.id === "maxmemory-evicts-any-key")?.message).toMatch(/maxmemory an unread size/);
  });
});

describe("maxmemory-policy names this table may not know", () => {
  it("`allkeys-lrm` (Redis 8.6) with a limit fails the gate on the eviction hazard", () => {
    const { hazards, verdict } = gateOf(`${AOF_ALWAYS}maxmemory 1gb\nmaxmemory-policy allkeys-lrm\n`);
    expect(verdict.passed).toBe(false);
    expect(hazards.map((h) => h.id)).toContain("maxmemory-evicts-any-key");
  });

  it("an unknown policy is not read as noeviction: the gate does not pass it", () => {
    const { verdict } = gateOf(`${AOF_ALWAYS}maxmemory 1gb\nmaxmemory-policy allkeys-future\n`);
    expect(verdict.passed).toBe(false);
  });
});
