import os from "node:os";
import path from "node:path";
import type { SourcedContract } from "../../configs/modes.js";
import type { CellResult, WorkloadShape } from "../cell/run-cell.js";
import { describeContract } from "../checkers/contract.js";
import { composeValidity } from "../checkers/verdict.js";
import type { Fault } from "../faults/fault.js";
import { PROJECT_ROOT } from "../runtime/project-root.js";
import { compareAcrossVersions } from "./compare-versions.js";
import type { DocumentedBounds } from "./recommend.js";
import { recommend } from "./recommend.js";
import type { MatrixRowSpec } from "./run-matrix.js";
import { isCustomRow, rowImage } from "./run-matrix.js";
import type { Baseline, MatrixReport, Needs, ReportCell, Stat, Topology } from "./report.js";
import { REPORT_SCHEMA_VERSION } from "./report.js";
import { median, statOf } from "./stats.js";

/** What a report needs to know of a fault: its name and what it does. */
export type FaultSummary = Pick<Fault<string>, "name" | "description">;

/** One cell of a matrix run: what was planned and every repetition's result. */
export interface RunCellResults<F extends FaultSummary = Fault<string>> {
  mode: MatrixRowSpec;
  fault: F;
  expected: SourcedContract;
  /** Why no contract applies: the cell is not run and comes out "not-applicable". */
  notApplicable?: string;
  /** Why the fault cannot be reproduced here: the cell is not run and comes out "unknown". */
  notRun?: string;
  results: CellResult[];
  /** Default: "single". */
  topology?: Topology;
  /** Default: "reply". */
  acks?: string;
}

/** Everything a matrix run on one server version produced, before it becomes a report. */
export interface MatrixRun<F extends FaultSummary = Fault<string>> {
  runId: string;
  /** The version id ("6.0", "default", or the --image name). */
  version: string;
  image: { name: string; origin: string };
  datasetMiB: number;
  repetitions: number;
  workload: WorkloadShape;
  wallTimeMs: number;
  cells: RunCellResults<F>[];
  baseline: Baseline | null;
  /** Cells run at once (`matrix --parallel N`), when more than one. */
  parallel?: number;
  /** Every row and fault the plan names, also those of cells a shard left to others; default: the cells'. */
  planned?: { rows: MatrixRowSpec[]; faults: F[] };
}

/**
 * Turns the runs (one per version, in the order given, same plan) into report.json's shape: figures over
 * repetitions, verdicts, the comparison between versions, the recommendation. Pure but for `now`.
 */
export function buildReport(runs: readonly MatrixRun<FaultSummary>[], needs: Needs, bounds: Record<string, DocumentedBounds>, tool: { name: string; version: string }, now = new Date()): MatrixReport {
  const [first] = runs;
  if (!first) throw new Error("buildReport needs at least one run");
  const cells = runs.flatMap((run) => run.cells.map((cell) => toReportCell(cell, run)));
  const modes = first.planned?.rows ?? [...new Map(first.cells.map((c) => [c.mode.mode, c.mode])).values()];
  const faults: FaultSummary[] = first.planned?.faults ?? [...new Map(first.cells.map((c) => [c.fault.name, c.fault])).values()];
  const versions = runs.map((run) => ({
    id: run.version,
    image: run.image.name,
    imageOrigin: run.image.origin,
    serverVersion: knownServerVersions(run.cells.flatMap((c) => c.results.map((r) => r.serverVersion))),
    wallTimeMs: run.wallTimeMs,
  }));
  const baseline = mergeBaselines(runs.flatMap((run) => (run.baseline ? [run.baseline] : [])));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    tool,
    run: {
      runId: first.runId,
      datasetMiB: first.datasetMiB,
      repetitions: first.repetitions,
      wallTimeMs: runs.reduce((sum, run) => sum + run.wallTimeMs, 0),
      workload: { ...first.workload },
      host: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, node: process.version },
      ...(first.parallel !== undefined && first.parallel > 1 ? { parallel: first.parallel } : {}),
    },
    modes: modes.map((m) => ({ mode: m.mode, configFile: path.relative(PROJECT_ROOT, (isCustomRow(m) ? m.reportedConfigFile : undefined) ?? m.configFile), summary: m.summary })),
    faults: faults.map((f) => ({ name: f.name, description: f.description })),
    versions,
    cells,
    baseline,
    recommendation: recommend(cells, needs, bounds, baseline),
    comparison: runs.length > 1 ? compareAcrossVersions(cells, versions.map((v) => v.id)) : null,
  };
}

/** The server versions named (each may list several, ", "-separated), "unknown" left out unless nothing else is there. */
export function knownServerVersions(names: readonly string[]): string {
  const known = [...new Set(names.flatMap((name) => name.split(", ")))].filter((v) => v !== "unknown");
  return known.join(", ") || "unknown";
}

/** One baseline from several (versions, shards): every mode's figures, the median ratio over all of them. */
export function mergeBaselines(baselines: readonly Baseline[]): Baseline | null {
  const [first] = baselines;
  if (!first) return null;
  const modes = baselines.flatMap((b) => b.modes);
  return { ...first, modes, ratio: median(modes.map((m) => m.ratio)) };
}

function toReportCell(cell: RunCellResults<FaultSummary>, run: MatrixRun<FaultSummary>): ReportCell {
  const { results } = cell;
  if (results.length === 0) throw new Error(`cell ${cell.mode.mode} x ${cell.fault.name} has no result: a matrix cell runs at least once`);
  const verdicts = results.map((r) => r.verdict.valid);
  const stat = (pick: (r: CellResult) => number) => statOf(results.map(pick));
  return {
    mode: cell.mode.mode,
    fault: cell.fault.name,
    version: run.version,
    topology: cell.topology ?? "single",
    acks: cell.acks ?? "reply",
    image: rowImage(cell.mode, run.image.name),
    serverVersion: knownServerVersions(results.map((r) => r.serverVersion)),
    contract: cell.expected.contract,
    contractText: describeContract(cell.expected.contract),
    contractSource: cell.expected.source,
    verdict: composeValidity(...verdicts),
    verdicts,
    consistent: verdicts.every((v) => v === verdicts[0]),
    repetitions: results.length,
    datasetKeys: Math.max(...results.map((r) => r.datasetKeys)),
    figures: {
      acknowledged: stat((r) => r.verdict.figures.acknowledged),
      lostAcknowledged: stat((r) => r.verdict.figures.lostAcknowledged),
      lossWindowMs: windowStat(results),
      allLost: results.some((r) => r.verdict.figures.allLost),
      clientsAllLost: stat((r) => r.verdict.figures.clientsAllLost),
      gaps: stat((r) => r.verdict.figures.gaps),
      orderViolations: stat((r) => r.verdict.figures.orderViolations),
      corrupted: stat((r) => r.verdict.figures.corrupted),
      recoveredUnacknowledged: stat((r) => r.verdict.figures.recoveredUnacknowledged),
      refusedRecovered: stat((r) => r.verdict.figures.refusedRecovered),
      recoveryMs: stat((r) => r.recoveryMs),
      opsPerSecond: stat((r) => r.throughput.opsPerSecond),
      p50Ms: stat((r) => r.throughput.p50Ms),
      p99Ms: stat((r) => r.throughput.p99Ms),
      dataDirBytes: stat((r) => r.dataDirBytes),
      durationMs: stat((r) => r.durationMs),
    },
    reasons: [...new Set(results.flatMap((r) => r.verdict.reasons))],
    artifactsDirs: results.flatMap((r) => (r.artifactsDir ? [r.artifactsDir] : [])),
  };
}

// One unbounded repetition makes the cell's window unbounded: a spread over the others would hide it.
function windowStat(results: readonly CellResult[]): Stat | null {
  const windows = results.map((r) => r.verdict.figures.lossWindowMs);
  return windows.some((w) => w === null) ? null : statOf(windows.filter((w): w is number => w !== null));
}
