import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { contractFor } from "../configs/disk-fault-contracts.js";
import { memoryPressureContract } from "../configs/memory-contracts.js";
import { MODES } from "../configs/modes.js";
import { runCell } from "../harness/cell/run-cell.js";
import { main } from "../harness/cli/main.js";
import type { GateReport } from "../harness/gate/gate-report.js";
import type { Fault } from "../harness/faults/fault.js";
import { MEMORY_FAULTS } from "../harness/faults/index.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { MEMORY_WEAKENINGS, configWith } from "./support/memory-weakenings.js";

// Memory is loss too (issue 10, item 5): a full memory under each kind of policy, and a fork that
// takes the container past its memory limit, each held to its contract; then weakened, and red.
const image = inject("redisImage");
const fault = (name: string): Fault<string> => MEMORY_FAULTS[name] as Fault<string>;
const log = (result: Awaited<ReturnType<typeof runCell>>) => console.log(`${formatCellLine(result)} | ${JSON.stringify(result.measurements)}`);

describe("memory pressure", () => {
  it("noeviction (the default) refuses writes with OOM and loses nothing acknowledged", async () => {
    const result = await runCell({ mode: "aof-everysec", configFile: MODES["aof-everysec"].configFile, expected: contractFor(MODES["aof-everysec"], "memory-pressure"), fault: fault("memory-pressure"), image });
    log(result);
    expect(result.verdict.contract.kind).toBe("none-lost");
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    expect(result.measurements).toMatchObject({ maxmemoryPolicy: "noeviction", evictedKeys: 0 });
    expect(Number(result.measurements?.oomErrors)).toBeGreaterThan(0);
    expect(Number(result.measurements?.writesFailed)).toBeGreaterThan(0);
  });

  it("allkeys-lru evicts acknowledged writes, no more than Redis counts as evicted", async () => {
    const result = await runCell({ mode: "aof-everysec", configFile: MODES["aof-everysec"].configFile, expected: memoryPressureContract("allkeys-lru"), fault: fault("memory-pressure-allkeys-lru"), image });
    log(result);
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    const evicted = Number(result.measurements?.evictedKeys);
    expect(evicted).toBeGreaterThan(0);
    expect(result.verdict.figures.lostAcknowledged).toBeGreaterThan(0);
    expect(result.verdict.figures.lostAcknowledged).toBeLessThanOrEqual(evicted);
  });

  it("volatile-lru evicts only the keys with a TTL: the writers' keys, without one, all survive", async () => {
    const result = await runCell({ mode: "aof-everysec-volatile-lru", configFile: configWith("aof-everysec", ["maxmemory-policy volatile-lru"]), expected: memoryPressureContract("volatile-lru"), fault: fault("memory-pressure"), image });
    log(result);
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    // Redis evicted (the fault's own TTL filler), and none of it can excuse a writer's key.
    expect(Number(result.measurements?.evictedKeysAll)).toBeGreaterThan(0);
    expect(Number(result.measurements?.evictedKeys)).toBe(0);
  });
});

describe("fork-under-memory-limit", () => {
  it("rdb-aof filled to 60% of a 256 MiB limit: the AOF rewrite's fork gets Redis OOM-killed, a crash within everysec's 2 s", async () => {
    const result = await runCell({ mode: "rdb-aof", configFile: MODES["rdb-aof"].configFile, expected: contractFor(MODES["rdb-aof"], "fork-under-memory-limit"), fault: fault("fork-under-memory-limit"), image });
    log(result);
    expect(result.proofs.map((p) => [p.claim.slice(0, 40), p.held])).toEqual([
      ["the container runs under its memory limi", true],
      ["the fork's copy-on-write pushed the cont", true],
    ]);
    expect(result.measurements).toMatchObject({ exitCode: 137, oomKilled: "true" });
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
  });
});

describe("the gate on a compose file with the seeds' eviction settings", () => {
  const tmp = mkdtemp(path.join(os.tmpdir(), "redis-persistence-memory-gate-"));
  afterAll(async () => rm(await tmp, { recursive: true, force: true }));

  it("fails at any bound: the allkeys-lru hazard, and memory pressure measured losing acknowledged writes", async () => {
    const compose = path.join(await tmp, "compose.yml");
    await writeFile(
      compose,
      'services:\n  cache:\n    image: redis:7.4\n    command: ["redis-server", "--appendonly", "yes", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]\n    mem_limit: 100m\n    volumes: ["cache:/data"]\nvolumes:\n  cache: {}\n',
    );
    const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
    const code = await main(["gate", "--dataset-size", "0", "--image", image, compose, "--max-loss", "60m", "--faults", "memory-pressure", "--json"], io);
    expect(code, io.stderr).toBe(1);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.hazards.find((h) => h.id === "maxmemory-evicts-any-key")).toMatchObject({ severity: "danger", failsGate: true, at: expect.stringMatching(/--maxmemory-policy allkeys-lru/) });
    expect(report.hazards.find((h) => h.id === "fork-may-pass-memory-limit")).toMatchObject({ severity: "warning", message: expect.stringMatching(/memory limit 100 MiB \(100m, compose mem_limit/) });
    const check = report.checks.find((c) => c.fault === "memory-pressure");
    console.log(JSON.stringify(check));
    expect(check).toMatchObject({ outcome: "fail", documented: { maxMs: null }, validity: false });
    expect(Number(check?.measurements.evictedKeys)).toBeGreaterThan(0);
    expect(check?.lostAcknowledged).toBeGreaterThan(0);
  }, 120_000);
});

describe("weakened memory cases break their contracts", () => {
  for (const weakening of MEMORY_WEAKENINGS) {
    it(`${weakening.name}: the ${weakening.fault} contract is ${weakening.expect === false ? "broken" : "unknown"}`, async () => {
      const result = await weakening.run(image);
      console.log(`${formatCellLine(result)} -> ${result.verdict.reasons.join("; ")}`);
      expect(result.verdict.valid, result.verdict.reasons.join("; ")).toBe(weakening.expect);
    });
  }
});
