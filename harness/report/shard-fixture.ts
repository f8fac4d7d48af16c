import { MODES } from "../../configs/modes.js";
import type { CellResult } from "../cell/run-cell.js";
import type { MatrixRun } from "./build-report.js";
import { buildReport } from "./build-report.js";
import { documentedBounds } from "./documented-bounds.js";
import type { ShardReport } from "./merge-reports.js";
import { fixtureRun } from "./report-fixture.js";
import type { Shard } from "./shard.js";
import { baselineKey, cellKey, plannedCells, shardBaselines, shardCells } from "./shard.js";

// Partial reports as `matrix --shard` records them, cut from the fixture runs: for the merge's tests.
export const NEEDS = { maxLossMs: 1_000, minOpsPerSecond: 5_000 };
export const BOUNDS = documentedBounds(Object.values(MODES));
export const TOOL = { name: "redis-persistence", version: "0.0.0-test" };

/** Two versions of the fixture run, rdb-aof x short-grace broken on 8.0; `adjust` may change any result. */
export function runs(adjust: (r: CellResult) => CellResult = (r) => r): MatrixRun[] {
  const v60 = fixtureRun(2, { version: "6.0", image: "localhost/redis-persistence/redis-debian:bullseye", serverVersion: "6.0.16" }, adjust);
  const v80 = fixtureRun(2, { version: "8.0", image: "localhost/redis-persistence/redis-debian:trixie", serverVersion: "8.0.2" }, (r) =>
    adjust(r.mode === "rdb-aof" && r.fault === "short-grace" ? { ...r, verdict: { ...r.verdict, valid: false, reasons: ["lost 4,000"], figures: { ...r.verdict.figures, lostAcknowledged: 4_000, lossWindowMs: 2_600 } } } : r),
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

/** What shard K of N would have recorded. */
export function shardReport(all: readonly MatrixRun[], shard: Shard, source = `shard-${shard.index}/report.json`): ShardReport {
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
  const report = { ...buildReport(sliced, NEEDS, BOUNDS, TOOL, new Date("2026-01-01T00:00:00Z")), shard: { ...shard, planned, bounds: BOUNDS, dangers: [], baseline: true, configs: Object.fromEntries(rows.map((r) => [r.mode, `sha-${r.mode}`])) } };
  return { source, report };
}

/** Every shard of N, from the same runs. */
export function shardsOf(of: number, all: readonly MatrixRun[] = runs()): ShardReport[] {
  return Array.from({ length: of }, (_, i) => shardReport(all, { index: i + 1, of }));
}

