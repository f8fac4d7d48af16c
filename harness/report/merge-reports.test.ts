import { describe, expect, it } from "vitest";
import { buildReport } from "./build-report.js";
import { loadReportSchema } from "./write-report.js";
import { validateJson } from "./json-schema.js";
import { MergeError, mergeReports } from "./merge-reports.js";
import type { ShardReport } from "./merge-reports.js";
import type { MatrixReport } from "./report.js";
import { baselineKey, cellKey, plannedCells, shardBaselines, shardCells } from "./shard.js";
import { BOUNDS, NEEDS, TOOL, runs, shardReport, shardsOf } from "./shard-fixture.js";

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
    ["config contents", (r: MatrixReport): MatrixReport => ({ ...r, shard: r.shard && { ...r.shard, configs: { ...r.shard.configs, rdb: "sha-edited" } } }), /differ in config file contents/],
    ["baseline", (r: MatrixReport): MatrixReport => ({ ...r, shard: r.shard && { ...r.shard, baseline: false } }), /differ in baseline/],
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

  it("refuses a cell whose verdict or consistency is not what its repetitions' verdicts say, or whose verdicts do not match the repetitions", () => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    const edit = (change: (c: MatrixReport["cells"][number]) => MatrixReport["cells"][number]): ShardReport => ({ ...b, report: { ...b.report, cells: b.report.cells.map((c, i) => (i === 0 ? change(c) : c)) } });
    expect(refusal([a, edit((c) => ({ ...c, verdicts: [false, false], verdict: true }))])).toMatch(/says true but its repetitions say false, false/);
    expect(refusal([a, edit((c) => ({ ...c, verdicts: [true, "unknown"], verdict: "unknown", consistent: true }))])).toMatch(/\(inconsistent\)|says unknown but/);
    expect(refusal([a, edit((c) => ({ ...c, verdicts: [true], repetitions: 1 }))])).toMatch(/1 verdict\(s\) for 1 repetition\(s\) of a run of 2/);
  });

  it("refuses a plan that names one cell twice (two rows of one name)", () => {
    const [a, b] = shardsOf(2);
    if (!a?.report.shard || !b?.report.shard) throw new Error("two shards");
    const planned = [...a.report.shard.planned, a.report.shard.planned[0] as (typeof a.report.shard.planned)[number]];
    const twice = (s: ShardReport): ShardReport => ({ ...s, report: { ...s.report, shard: s.report.shard && { ...s.report.shard, planned } } });
    expect(refusal([twice(a), twice(b)])).toMatch(/plans the cell 6.0 none graceful-stop twice|plans the cell .* twice/);
  });

  it("records each shard's --parallel and the most of them in run.parallel", () => {
    const [a, b] = shardsOf(2);
    if (!a || !b) throw new Error("two shards");
    const merged = mergeReports([a, { ...b, report: { ...b.report, run: { ...b.report.run, parallel: 4 } } }]);
    expect(merged.run.parallel).toBe(4);
    expect(merged.merged?.shards.map((s) => s.parallel)).toEqual([1, 4]);
    expect(mergeReports([a, b]).run.parallel).toBeUndefined();
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
