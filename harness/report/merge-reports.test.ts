import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import type { MatrixRun } from "./build-report.js";
import { buildReport } from "./build-report.js";
import { documentedBounds } from "./documented-bounds.js";
import { loadReportSchema } from "./write-report.js";
import { validateJson } from "./json-schema.js";
import { MergeError, mergeReports } from "./merge-reports.js";
import type { ShardReport } from "./merge-reports.js";
import { fixtureRun } from "./report-fixture.js";
import type { MatrixReport } from "./report.js";
import type { Shard } from "./shard.js";
import { baselineKey, cellKey, plannedCells, shardBaselines, shardCells } from "./shard.js";

const NEEDS = { maxLossMs: 1_000, minOpsPerSecond: 5_000 };
const BOUNDS = documentedBounds(Object.values(MODES));
const TOOL = { name: "redis-persistence", version: "0.0.0-test" };

function runs(): MatrixRun[] {
  const v60 = fixtureRun(2, { version: "6.0", image: "localhost/redis-persistence/redis-debian:bullseye", serverVersion: "6.0.16" });
  const v80 = fixtureRun(2, { version: "8.0", image: "localhost/redis-persistence/redis-debian:trixie", serverVersion: "8.0.2" }, (r) =>
    r.mode === "rdb-aof" && r.fault === "short-grace" ? { ...r, verdict: { ...r.verdict, valid: false, reasons: ["lost 4,000"], figures: { ...r.verdict.figures, lostAcknowledged: 4_000, lossWindowMs: 2_600 } } } : r,
  );
  return [v60, v80];
}

function planOf(all: readonly MatrixRun[]) {
  const [first] = all;
  if (!first) throw new Error("no run");
  const rows = [...new Map(first.cells.map((c) => [c.mode.mode, c.mode])).values()];
  const faults = [...new Map(first.cells.map((c) => [c.fault.name, c.fault])).values()];
  return { rows, faults, planned: plannedCells(all.map((r) => r.version), rows.map((r) => r.mode), faults.map((f) => f.name)) };
}

// What `matrix --shard` would have recorded: each run cut to the shard's cells and baselines.
function shardReport(all: readonly MatrixRun[], shard: Shard, source = `shard-${shard.index}/report.json`): ShardReport {
  const { rows, faults, planned } = planOf(all);
  const cells = new Set(shardCells(planned, shard).map(cellKey));
  const baselines = shardBaselines(planned, shard);
  const sliced = all.map((run): MatrixRun => {
    const modes = (run.baseline?.modes ?? []).filter((m) => baselines.has(baselineKey(run.version, m.mode)));
    return {
      ...run,
      runId: `run-${shard.index}`,
      wallTimeMs: 1_000 * shard.index,
      cells: run.cells.filter((c) => cells.has(cellKey({ version: run.version, mode: c.mode.mode, fault: c.fault.name }))),
      baseline: run.baseline && modes.length > 0 ? { ...run.baseline, modes } : null,
      planned: { rows, faults },
    };
  });
  const report = { ...buildReport(sliced, NEEDS, BOUNDS, TOOL, new Date("2026-01-01T00:00:00Z")), shard: { ...shard, planned, bounds: BOUNDS, dangers: [] } };
  return { source, report };
}

function shardsOf(of: number): ShardReport[] {
  const all = runs();
  return Array.from({ length: of }, (_, i) => shardReport(all, { index: i + 1, of }));
}

const verdictsOf = (r: MatrixReport) => r.cells.map((c) => [cellKey(c), c.verdict]);

describe("mergeReports", () => {
  const whole = buildReport(runs(), NEEDS, BOUNDS, TOOL, new Date("2026-01-01T00:00:00Z"));

  it.each([1, 2, 3, 7])("joins %i shards into the unsharded report: same cells, order, verdicts, figures, baseline, recommendation, comparison", (of) => {
    const merged = mergeReports(shardsOf(of).reverse());
    expect(verdictsOf(merged)).toEqual(verdictsOf(whole));
    expect(merged.cells).toEqual(whole.cells);
    expect(merged.baseline).toEqual(whole.baseline);
    expect(merged.recommendation).toEqual(whole.recommendation);
    expect(merged.comparison).toEqual(whole.comparison);
    expect(merged.modes).toEqual(whole.modes);
    expect(merged.faults).toEqual(whole.faults);
    expect(merged.versions.map((v) => ({ ...v, wallTimeMs: 0 }))).toEqual(whole.versions.map((v) => ({ ...v, wallTimeMs: 0 })));
    expect(merged.shard).toBeUndefined();
    expect(merged.merged?.shards.map((s) => s.index)).toEqual(Array.from({ length: of }, (_, i) => i + 1));
    expect(merged.run.wallTimeMs).toBe(Array.from({ length: of }, (_, i) => 1_000 * (i + 1)).reduce((a, b) => a + b, 0) * 2);
    expect(validateJson(JSON.parse(JSON.stringify(merged)), loadReportSchema())).toEqual([]);
  });

  it("keeps a broken cell broken: the merged recommendation and verdict are the whole run's", () => {
    const merged = mergeReports(shardsOf(3));
    expect(merged.cells.find((c) => c.version === "8.0" && c.mode === "rdb-aof" && c.fault === "short-grace")?.verdict).toBe(false);
    expect(merged.recommendation.qualifying).toEqual(whole.recommendation.qualifying);
  });

  it("writes partial reports that match the schema", () => {
    for (const s of shardsOf(3)) expect(validateJson(JSON.parse(JSON.stringify(s.report)), loadReportSchema())).toEqual([]);
  });

  const refusal = (shards: ShardReport[]): string => {
    try {
      mergeReports(shards);
    } catch (error) {
      expect(error).toBeInstanceOf(MergeError);
      return (error as Error).message;
    }
    throw new Error("merged what it must refuse");
  };

  it("refuses a missing shard, naming it", () => {
    expect(refusal(shardsOf(3).slice(0, 2))).toMatch(/shard 3\/3 missing/);
  });

  it("refuses a shard given twice", () => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    expect(refusal([a, b, { ...a, source: "copy/report.json" }])).toMatch(/both shard 1\/2/);
  });

  it("refuses shards of different counts", () => {
    const all = runs();
    expect(refusal([shardReport(all, { index: 1, of: 2 }), shardReport(all, { index: 2, of: 3 })])).toMatch(/differ in shard count/);
  });

  it.each([
    ["tool", (r: MatrixReport): MatrixReport => ({ ...r, tool: { ...r.tool, version: "9.9.9" } }), /differ in tool/],
    ["images", (r: MatrixReport): MatrixReport => ({ ...r, versions: r.versions.map((v) => ({ ...v, image: "redis:7.2" })) }), /differ in versions and images/],
    ["dataset size", (r: MatrixReport): MatrixReport => ({ ...r, run: { ...r.run, datasetMiB: 512 } }), /differ in dataset size/],
    ["repetitions", (r: MatrixReport): MatrixReport => ({ ...r, run: { ...r.run, repetitions: 3 } }), /differ in repetitions/],
    ["needs", (r: MatrixReport): MatrixReport => ({ ...r, recommendation: { ...r.recommendation, needs: { ...r.recommendation.needs, maxLossMs: 0 } } }), /differ in needs/],
    ["faults", (r: MatrixReport): MatrixReport => ({ ...r, faults: r.faults.slice(1) }), /differ in faults/],
    ["bounds", (r: MatrixReport): MatrixReport => ({ ...r, shard: r.shard && { ...r.shard, bounds: {} } }), /differ in documented bounds/],
  ])("refuses shards that differ in %s", (_, change, message) => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    expect(refusal([a, { ...b, report: change(b.report) }])).toMatch(message);
  });

  it("refuses a shard whose cells are not its slice (a cell dropped, or one of another shard)", () => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    expect(refusal([a, { ...b, report: { ...b.report, cells: b.report.cells.slice(1) } }])).toMatch(/does not hold its slice.*missing 6.0/);
    const stolen = a.report.cells[0];
    if (!stolen) throw new Error("a cell");
    expect(refusal([a, { ...b, report: { ...b.report, cells: [...b.report.cells, stolen] } }])).toMatch(/not its cells/);
  });

  it("refuses a report without a shard section, and a merged one", () => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    const { shard: _s, ...plain } = b.report;
    expect(refusal([a, { source: "whole/report.json", report: plain }])).toMatch(/whole\/report.json is not a shard's report/);
    expect(refusal([a, { source: "m/report.json", report: mergeReports([a, b]) }])).toMatch(/already a merged report/);
  });

  it("joins the dangers of the shards, so a deployed row's danger fails the merged run", () => {
    const [a, b] = shardsOf(2);
    if (!a?.report.shard || !b) throw new Error("two shards");
    const merged = mergeReports([{ ...a, report: { ...a.report, shard: { ...a.report.shard, dangers: ["compose.yml:redis: persistence is off"] } } }, b]);
    expect(merged.merged?.dangers).toEqual(["compose.yml:redis: persistence is off"]);
  });
});

describe("shard slices", () => {
  const planned = plannedCells(["6.0", "8.0"], ["none", "rdb", "aof-always"], ["sigkill", "graceful", "power-loss"]);

  it.each([1, 2, 3, 4, 18, 19])("cover every cell exactly once over %i shards", (of) => {
    const slices = Array.from({ length: of }, (_, i) => shardCells(planned, { index: i + 1, of }).map(cellKey));
    expect(slices.flat().sort()).toEqual(planned.map(cellKey).sort());
  });

  it("take every N-th cell from the K-th, so each shard gets a share of every fault", () => {
    expect(shardCells(planned, { index: 2, of: 3 }).map((c) => c.fault)).toEqual(Array(6).fill("graceful"));
    expect(new Set(shardCells(planned, { index: 1, of: 2 }).map((c) => c.fault)).size).toBe(3);
  });

  it("run each row's baseline in exactly one shard, one that ran a cell of that row", () => {
    for (const of of [1, 2, 3, 5, 18]) {
      const perShard = Array.from({ length: of }, (_, i) => [...shardBaselines(planned, { index: i + 1, of })]);
      expect(perShard.flat().sort()).toEqual([...new Set(planned.map((c) => baselineKey(c.version, c.mode)))].sort());
      perShard.forEach((keys, i) => {
        const rows = new Set(shardCells(planned, { index: i + 1, of }).map((c) => baselineKey(c.version, c.mode)));
        for (const key of keys) expect(rows.has(key)).toBe(true);
      });
    }
  });
});
