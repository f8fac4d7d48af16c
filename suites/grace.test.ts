import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import type { ModeSpec } from "../configs/modes.js";
import { main } from "../harness/cli/main.js";
import { graceProgressLine } from "../harness/cli/grace-sweep-command.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import { buildGraceSection } from "../harness/grace/grace-section.js";
import type { GraceCellResult } from "../harness/grace/run-grace-cell.js";
import type { GraceSweepPlan, GraceSweepRun } from "../harness/grace/run-grace-sweep.js";
import { runGraceSweep } from "../harness/grace/run-grace-sweep.js";
import { validateJson } from "../harness/report/json-schema.js";
import { renderHtml } from "../harness/report/render-html.js";
import { renderMarkdown } from "../harness/report/render-markdown.js";
import { fixtureReport } from "../harness/report/report-fixture.js";
import type { MatrixReport } from "../harness/report/report.js";
import { loadReportSchema } from "../harness/report/write-report.js";

/** The grace no dataset of this file comes near: the stop measures the whole shutdown. */
const LONG_GRACE_MS = 30_000;
const SIZES_MIB = [64, 256];

/** Runs the listed stops and prints a line per stop, whatever its verdict. */
async function sweep(modes: ModeSpec[], only: GraceSweepPlan["only"]): Promise<GraceSweepRun> {
  const plan: GraceSweepPlan = { image: inject("redisImage"), modes, gracesMs: [], datasetSizesMiB: [], repetitions: 1, only };
  return runGraceSweep(plan, (progress) => console.log(graceProgressLine(progress)));
}

function find(results: GraceCellResult[], mode: string, datasetMiB: number, graceMs: number): GraceCellResult {
  const result = results.find((r) => r.mode === mode && r.datasetMiB === datasetMiB && r.graceMs === graceMs);
  if (!result) throw new Error(`no ${mode} ${datasetMiB} MiB ${graceMs} ms stop was run`);
  return result;
}

function why(r: GraceCellResult): string {
  return [
    `${r.mode} ${r.datasetMiB} MiB grace ${r.graceMs} ms: ${r.stop.seen}; shutdown ${r.stop.shutdownMs} ms; ${r.situation}; verdict ${String(r.verdict.valid)}`,
    ...r.verdict.reasons,
    ...r.verdict.evidence,
    r.artifactsDir ? `artifacts: ${r.artifactsDir}` : "",
  ].join("\n  ");
}

describe("rdb: the loss flips from \"after the last snapshot\" to \"none\" where the grace passes the measured shutdown (64 and 256 MiB)", () => {
  const results: GraceCellResult[] = [];
  const shortGraceMs = new Map<number, number>();
  const shutdownMs = new Map<number, number>();

  beforeAll(async () => {
    // First the long grace: it measures the shutdown. Then a grace well inside it (whole seconds, as Docker counts).
    results.push(...(await sweep([MODES.rdb], SIZES_MIB.map((datasetMiB) => ({ mode: "rdb", datasetMiB, graceMs: LONG_GRACE_MS })))).results);
    for (const mib of SIZES_MIB) {
      const measured = find(results, "rdb", mib, LONG_GRACE_MS).stop.shutdownMs;
      shutdownMs.set(mib, measured);
      shortGraceMs.set(mib, Math.floor((measured * 0.6) / 1000) * 1000);
    }
    results.push(...(await sweep([MODES.rdb], SIZES_MIB.map((datasetMiB) => ({ mode: "rdb", datasetMiB, graceMs: shortGraceMs.get(datasetMiB) as number })))).results);
    // One size's shutdown varied by a factor of 1.8 between runs here (256 MiB: 3.5 s, then 1.9 s), so a grace
    // inside the first can outlast the second: that stop exited by itself and is no case of a shorter grace.
    // It is run again once at a second less (the cases judge the stop at the grace they find in shortGraceMs).
    for (const mib of SIZES_MIB) {
      const grace = shortGraceMs.get(mib) as number;
      if (grace < 1_000 || find(results, "rdb", mib, grace).stop.ended !== "exited") continue;
      shortGraceMs.set(mib, grace - 1_000);
      results.push(...(await sweep([MODES.rdb], [{ mode: "rdb", datasetMiB: mib, graceMs: grace - 1_000 }])).results);
    }
  }, 500_000);

  it.each(SIZES_MIB)("%i MiB, a grace longer than the shutdown: exit 0, \"DB saved on disk\", no acknowledged write lost", (mib) => {
    const r = find(results, "rdb", mib, LONG_GRACE_MS);
    expect(r.stop, why(r)).toMatchObject({ ended: "exited", exitCode: 0, finalSave: "completed" });
    expect(r.expected.contract, why(r)).toEqual({ kind: "none-lost" });
    expect(r.verdict.figures.lostAcknowledged, why(r)).toBe(0);
    expect(r.verdict.valid, why(r)).toBe(true);
  });

  it.each(SIZES_MIB)("%i MiB, a grace shorter than the shutdown: SIGKILL before the save completes, only writes after the last snapshot lost", (mib) => {
    const grace = shortGraceMs.get(mib) as number;
    const r = find(results, "rdb", mib, grace);
    expect(grace, why(r)).toBeLessThan(shutdownMs.get(mib) as number);
    expect(r.stop, why(r)).toMatchObject({ ended: "killed", exitCode: 137 });
    expect(r.stop.finalSave, why(r)).not.toBe("completed");
    expect(r.expected.contract, why(r)).toEqual({ kind: "after-snapshot-only", mark: "snapshot" });
    expect(r.verdict.figures.lostAcknowledged, why(r)).toBeGreaterThan(0);
    expect(r.verdict.valid, why(r)).toBe(true);
  });

  it("256 MiB: a grace of 1 s or more inside the shutdown kills Redis during the final save itself", (test) => {
    const grace = shortGraceMs.get(256) as number;
    if (grace < 1_000) test.skip(`the 256 MiB shutdown took only ${shutdownMs.get(256)} ms here: no whole-second grace fits inside it`);
    const r = find(results, "rdb", 256, grace);
    expect(r.stop.finalSave, why(r)).toBe("interrupted");
    expect(r.situation, why(r)).toBe("killed during the final save: the previous snapshot loads");
  });
});

describe("rdb-aof: nothing acknowledged lost at a grace of 1 s or more, whether or not the final save completed (64 and 256 MiB)", () => {
  let run: GraceSweepRun;
  const graces = [1_000, LONG_GRACE_MS];

  beforeAll(async () => {
    run = await sweep([MODES["rdb-aof"]], SIZES_MIB.flatMap((datasetMiB) => graces.map((graceMs) => ({ mode: "rdb-aof", datasetMiB, graceMs }))));
  }, 400_000);

  it.each(SIZES_MIB.flatMap((mib) => graces.map((grace) => [mib, grace] as const)))("%i MiB, grace %i ms: the AOF was flushed, none lost", (mib, grace) => {
    const r = find(run.results, "rdb-aof", mib, grace);
    expect(r.stop.ended, why(r)).not.toBe("unexplained");
    expect(r.stop.aofFlushed, why(r)).toBe(true);
    expect(r.expected.contract, why(r)).toEqual({ kind: "none-lost" });
    expect(r.verdict.figures.lostAcknowledged, why(r)).toBe(0);
    expect(r.verdict.valid, why(r)).toBe(true);
  });

  it("256 MiB: a 1 s grace cuts the final save short (exit 137) and the AOF still keeps every acknowledged write; 30 s lets it complete", (test) => {
    const long = find(run.results, "rdb-aof", 256, LONG_GRACE_MS);
    expect(long.stop, why(long)).toMatchObject({ ended: "exited", finalSave: "completed" });
    if (long.stop.shutdownMs < 1_500) test.skip(`the 256 MiB shutdown took only ${long.stop.shutdownMs} ms here: 1 s may not cut it short`);
    const short = find(run.results, "rdb-aof", 256, 1_000);
    expect(short.stop, why(short)).toMatchObject({ ended: "killed", exitCode: 137, finalSave: "interrupted", aofFlushed: true });
  });

  it("the report shows, per stop, whether the final save completed, and validates against the schema", () => {
    const section = buildGraceSection(run, "the test's disk");
    const report: MatrixReport = { ...fixtureReport(), grace: section };
    expect(validateJson(JSON.parse(JSON.stringify(report)), loadReportSchema())).toEqual([]);
    const html = renderHtml(report);
    const markdown = renderMarkdown(report);
    for (const r of run.results) {
      const cell = section.cells.find((c) => c.mode === r.mode && c.datasetMiB === r.datasetMiB && c.graceMs === r.graceMs);
      expect(cell?.finalSave).toBe(r.stop.finalSave);
      expect(html).toContain(`data-grace-cell="rdb-aof ${r.datasetMiB} MiB ${r.graceMs / 1000} s" data-final-save="${r.stop.finalSave}"`);
      expect(markdown).toContain(cell?.summary);
      expect(cell?.summary).toMatch(r.stop.finalSave === "completed" ? /^saved in .*: none lost$/ : /^killed (mid-save|before the save) at 1 s: none lost$/);
    }
    for (const s of section.shutdowns) expect(markdown).toContain(`For ${s.datasetMiB} MiB on this disk (rdb-aof), give at least ${(s.recommendedGraceMs ?? NaN) / 1000} s`);
  });
});

describe("matrix --graces through the CLI entry (1 stop)", () => {
  let outDir: string;
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) } satisfies CliIo & { stdout: string; stderr: string };
  let exitCode: number;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-grace-"));
    exitCode = await main(
      ["matrix", "--modes", "rdb,aof-always", "--faults", "graceful-stop", "--skip-baseline", "--dataset-size", "8", "--graces", "30", "--dataset-sizes", "16", "--out", outDir, "--image", inject("redisImage")],
      io,
    );
  }, 170_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("prints the sweep's expected duration before any case, a progress line per stop, and the grace table", () => {
    expect(exitCode, io.stderr).toBe(0);
    const announced = io.stderr.indexOf("[grace] stop-grace sweep after the matrix: 1 mode(s) (rdb) x 1 size(s) (16 MiB) x 1 grace(s) (30 s) x 1 = 1 stops, expected ~0:");
    expect(announced, io.stderr).toBeGreaterThanOrEqual(0);
    expect(announced).toBeLessThan(io.stderr.indexOf("[1/2] "));
    expect(io.stderr).toMatch(/not swept \(no final save\): aof-always/);
    expect(io.stderr).toMatch(/^\[grace 1\/1\] rdb 16 MiB, grace 30 s: saved and exited in .*, valid, .*elapsed, ~0:00 left$/m);
    expect(io.stdout).toMatch(/^rdb\s+16 MiB\s+saved .*, 0 lost\s+.*\d s$/m);
    expect(io.stdout).toContain("for 16 MiB on this disk (rdb), give at least");
  });

  it("writes report.json with the grace section, valid against the schema, naming the disk", () => {
    const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8")) as MatrixReport;
    expect(validateJson(report, loadReportSchema())).toEqual([]);
    expect(report.grace?.cells.map((c) => `${c.mode} ${c.datasetMiB} ${c.graceMs} ${c.finalSave} ${String(c.verdict)}`)).toEqual(["rdb 16 30000 completed true"]);
    expect(report.grace?.notApplicable.map((n) => n.mode)).toEqual(["aof-always"]);
    expect(report.grace?.disk).toMatch(/under .*volumes/);
    expect(report.grace?.shutdowns[0]?.recommendedGraceMs).toBeGreaterThanOrEqual(1_000);
  });
});
