import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import { validateJson } from "../harness/report/json-schema.js";
import type { MatrixReport } from "../harness/report/report.js";
import { loadReportSchema } from "../harness/report/write-report.js";

const MATRIX = ["--modes", "none,aof-always", "--faults", "sigkill,graceful-stop", "--dataset-size", "8"];

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const readReport = (dir: string): MatrixReport => JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as MatrixReport;
const keysAndVerdicts = (r: MatrixReport) => r.cells.map((c) => `${c.version} ${c.mode} x ${c.fault}: ${String(c.verdict)}`);

describe("matrix --shard K/N and merge, and --parallel 2: the unsharded, one-at-a-time run's cells and verdicts", () => {
  let root: string;
  const dir = (name: string): string => path.join(root, name);
  const results: Record<string, { code: number; stdout: string; stderr: string }> = {};

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-shards-"));
    const image = ["--image", inject("redisImage")];
    results.whole = await run(["matrix", ...MATRIX, ...image, "--out", dir("whole")]);
    results.shard1 = await run(["matrix", ...MATRIX, ...image, "--shard", "1/2", "--out", dir("shard-1")]);
    results.shard2 = await run(["matrix", ...MATRIX, ...image, "--shard", "2/2", "--out", dir("shard-2")]);
    results.merge = await run(["merge", dir("shard-2"), dir("shard-1"), "--out", dir("merged")]);
    results.parallel = await run(["matrix", ...MATRIX, ...image, "--parallel", "2", "--skip-baseline", "--out", dir("parallel")]);
  }, 400_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("runs each shard's slice only, says which, and writes a partial report that validates", () => {
    for (const [name, index] of [["shard1", 1], ["shard2", 2]] as const) {
      const r = results[name];
      expect(r?.code, r?.stderr).toBe(0);
      expect(r?.stderr).toContain(`= 4 cases on ${inject("redisImage")}, 8 MiB preloaded; shard ${index}/2 runs 2 of them`);
      expect(r?.stderr.match(/^\[\d\/2\] /gm)).toHaveLength(2);
      const report = readReport(dir(`shard-${index}`));
      expect(validateJson(report, loadReportSchema())).toEqual([]);
      expect(report.shard?.planned).toHaveLength(4);
      expect(report.modes.map((m) => m.mode)).toEqual(["none", "aof-always"]);
      expect(r?.stdout).toContain(`Partial report: shard ${index} of 2, 2 of the matrix's 4 cells`);
    }
    // Round robin: shard 1 has every fault's first row, shard 2 the second fault.
    expect(readReport(dir("shard-1")).cells.map((c) => `${c.mode} x ${c.fault}`)).toEqual(["none x sigkill", "aof-always x sigkill"]);
    expect(readReport(dir("shard-2")).cells.map((c) => `${c.mode} x ${c.fault}`)).toEqual(["none x graceful-stop", "aof-always x graceful-stop"]);
  });

  it("runs each row's redis-benchmark baseline in one shard only", () => {
    const b1 = readReport(dir("shard-1")).baseline?.modes.map((m) => m.mode) ?? [];
    const b2 = readReport(dir("shard-2")).baseline?.modes.map((m) => m.mode) ?? [];
    expect([...b1, ...b2].sort()).toEqual(["aof-always", "none"]);
  });

  it("merges into the same cells, in the same order, with the same verdicts as the unsharded run, and exits as it does", () => {
    expect(results.whole?.code, results.whole?.stderr).toBe(0);
    expect(results.merge?.code, results.merge?.stderr).toBe(0);
    const whole = readReport(dir("whole"));
    const merged = readReport(dir("merged"));
    expect(validateJson(merged, loadReportSchema())).toEqual([]);
    expect(keysAndVerdicts(merged)).toEqual(keysAndVerdicts(whole));
    expect(merged.cells.map((c) => c.contract)).toEqual(whole.cells.map((c) => c.contract));
    expect(merged.baseline?.modes.map((m) => m.mode)).toEqual(whole.baseline?.modes.map((m) => m.mode));
    expect(merged.shard).toBeUndefined();
    expect(merged.merged?.shards.map((s) => s.index)).toEqual([1, 2]);
    expect(results.merge?.stdout).toMatch(/Merged from 2 shards/);
    expect(readFileSync(path.join(dir("merged"), "report.md"), "utf8")).toContain("Merged from 2 shards");
    expect(readFileSync(path.join(dir("merged"), "report.html"), "utf8")).toContain("Merged from 2 shards");
  });

  it("runs two cells at once with --parallel 2, with the same cells and verdicts as one at a time, says so in the report, and warns where cores are short", () => {
    expect(results.parallel?.code, results.parallel?.stderr).toBe(0);
    const parallel = readReport(dir("parallel"));
    expect(keysAndVerdicts(parallel)).toEqual(keysAndVerdicts(readReport(dir("whole"))));
    expect(parallel.run.parallel).toBe(2);
    // Cells overlapped: their durations add up to more than the run's wall time (one at a time, never).
    const busyMs = (r: MatrixReport): number => r.cells.reduce((sum, c) => sum + c.figures.durationMs.median, 0);
    expect(busyMs(parallel)).toBeGreaterThan(parallel.run.wallTimeMs);
    expect(busyMs(readReport(dir("whole")))).toBeLessThan(readReport(dir("whole")).run.wallTimeMs);
    expect(parallel.cells.every((c) => c.figures.acknowledged.median > 0)).toBe(true);
    if (os.availableParallelism() < 4) expect(results.parallel?.stderr).toContain("--parallel 2 on");
    else expect(results.parallel?.stderr).not.toContain("--parallel 2 on");
  });

  it("refuses, exit 2 and the reason, a shard missing, an unsharded report, its own shard directory as --out, and what is not a report", async () => {
    const missing = await run(["merge", dir("shard-1"), "--out", dir("m1")]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("shard 2/2 missing")]);
    const whole = await run(["merge", dir("shard-1"), dir("whole"), "--out", dir("m2")]);
    expect([whole.code, whole.stderr]).toEqual([2, expect.stringContaining("is not a shard's report")]);
    const over = await run(["merge", dir("shard-1"), dir("shard-2"), "--out", dir("shard-1")]);
    expect([over.code, over.stderr]).toEqual([2, expect.stringContaining("write the merged report elsewhere")]);
    await writeFile(path.join(root, "cut.json"), '{"schemaVersion": 4, "cells": [');
    const cut = await run(["merge", dir("shard-1"), path.join(root, "cut.json"), "--out", dir("m3")]);
    expect([cut.code, cut.stderr]).toEqual([2, expect.stringContaining("is not JSON")]);
    const none = await run(["merge", path.join(root, "nowhere"), "--out", dir("m4")]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("does not exist")]);
    for (const r of [missing, whole, over, cut, none]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a shard that is not K/N, one with no cell, --shard with --graces, and two deployed servers of one row name, before anything runs", async () => {
    const bad = await run(["matrix", ...MATRIX, "--shard", "3/2"]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--shard "3/2" is not a shard')]);
    const empty = await run(["matrix", ...MATRIX, "--image", inject("redisImage"), "--shard", "5/5", "--out", dir("empty")]);
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining("shard 5/5 has no cell: this matrix has 4; use at most 4 shards")]);
    expect(empty.stderr).not.toMatch(/^\[\d\/\d\] /m);
    const graces = await run(["matrix", "--modes", "rdb", "--graces", "1", "--shard", "1/2"]);
    expect([graces.code, graces.stderr]).toEqual([2, expect.stringContaining("--shard and --graces cannot be combined")]);
    // Two servers that would share a row name would share cells in a shard and bounds in the report.
    for (const env of ["prod", "staging"]) {
      await mkdir(path.join(root, env));
      await copyFile("configs/aof-always.conf", path.join(root, env, "redis.conf"));
    }
    const same = await run(["matrix", "--deployment", path.join(root, "prod", "redis.conf"), "--deployment", path.join(root, "staging", "redis.conf"), "--shard", "1/2"]);
    expect([same.code, same.stderr]).toEqual([2, expect.stringContaining('would both be the row "redis.conf"')]);
  });
});
