import { NOTHING_MEASURED } from "../checkers/verdict.js";
import type { ModeSpec, SourcedContract } from "../../configs/modes.js";
import type { CellResult, WorkloadShape } from "../cell/run-cell.js";
import type { CellStorage } from "../cell/storage.js";
import { DEFAULT_WORKLOAD, runCell } from "../cell/run-cell.js";
import type { Fault } from "../faults/fault.js";
import { NoDockerEngineError } from "../runtime/docker-engine.js";
import { RedisNode } from "../runtime/redis-node.js";
import { harnessWriteRate, measureBaseline, recordBytes } from "./baseline.js";
import type { MatrixRun, RunCellResults } from "./build-report.js";
import type { Baseline, BaselineMode } from "./report.js";
import { median } from "./stats.js";
import { contractFor } from "../../configs/disk-fault-contracts.js";
import { faultFsStorage } from "../cell/fault-fs-storage.js";
import { needsFaultFs } from "../faults/index.js";
import { baselineKey, cellKey } from "./shard.js";

/** What a matrix run on one server version covers. */
export interface MatrixPlan {
  runId: string;
  /** The version id the report names it by ("6.0", "default", or the --image name). */
  version: string;
  image: { name: string; origin: string };
  /** The rows: built-in modes (contracts from configs/) or rows with their own contracts (a deployment's). */
  modes: MatrixRowSpec[];
  faults: Fault<string>[];
  /** Preloaded into every cell (MiB); a fault that needs more gets its own size. */
  datasetMiB: number;
  repetitions: number;
  workload?: WorkloadShape;
  /** Compare the harness writers with redis-benchmark, once per mode. */
  baseline: boolean;
  /** Cells run at once (`matrix --parallel N`); default 1. The baseline and the warm-up always run alone. */
  parallel?: number;
  /** With --shard: the cells (cellKey) and baselines (baselineKey) this shard runs; default: all. */
  slice?: { cells: ReadonlySet<string>; baselines: ReadonlySet<string> };
}

/**
 * A row's expected contract under one fault. With `notApplicable` no contract applies and the cell is
 * not run (shown as such); with `notRun` the fault cannot be reproduced here: the cell is not run and
 * comes out unknown, which fails the run (`expected` is then what the bound would read as).
 */
export interface RowExpectation {
  expected: SourcedContract;
  notApplicable?: string;
  notRun?: string;
}

/** A matrix row that is not a built-in mode (a deployment's): what it runs, how the report names it, its own contract per fault. */
export interface CustomRow {
  mode: string;
  /** The config the cells run. */
  configFile: string;
  /** The file the report names as the row's config, when configFile is a temporary copy. */
  reportedConfigFile?: string;
  summary: string;
  /** The image the row runs on; default: the plan's. */
  image?: string;
  /** What the cells mount at /data for the faults that need no fault-fs; default: a fresh named volume. */
  storage?: CellStorage;
  /** The fault as this row runs it (e.g. the stops with the row's own grace). */
  faultFor(fault: Fault<string>): Fault<string>;
  /** The expected contract under the named fault, or why none applies. */
  expectationFor(faultName: string): RowExpectation;
}

/** One row of the matrix. */
export type MatrixRowSpec = ModeSpec | CustomRow;

/** Whether a row brings its own contracts. */
export function isCustomRow(row: MatrixRowSpec): row is CustomRow {
  return "expectationFor" in row;
}

/** The image a row runs on. */
export function rowImage(row: MatrixRowSpec, planImage: string): string {
  return (isCustomRow(row) ? row.image : undefined) ?? planImage;
}

/** One finished case, for progress lines. Times in ms. */
export interface CaseProgress {
  index: number;
  total: number;
  repetition: number;
  result: CellResult;
  elapsedMs: number;
  remainingMs: number;
  /** The version id, when the matrix runs on several. */
  version?: string;
}

const WARM_UP_MS = 1_000;

/** What the run tells its caller while it goes. */
export interface MatrixListener {
  onCase(progress: CaseProgress): void;
  onNote(line: string): void;
}

/** The plan's cells on one version, row by row, that this run (or its shard's slice) runs. */
export function cellsToRun(plan: Pick<MatrixPlan, "modes" | "faults" | "slice">, version: string): { mode: MatrixRowSpec; fault: Fault<string> }[] {
  return plan.modes.flatMap((mode) => plan.faults.filter((fault) => plan.slice?.cells.has(cellKey({ version, mode: mode.mode, fault: fault.name })) ?? true).map((fault) => ({ mode, fault })));
}

/** Runs every mode under every fault `repetitions` times (repetitions outermost), then the baseline. */
export async function runMatrix(plan: MatrixPlan, listener: MatrixListener): Promise<MatrixRun> {
  const startedAtMs = Date.now();
  const workload = plan.workload ?? DEFAULT_WORKLOAD;
  const cells: RunCellResults[] = cellsToRun(plan, plan.version).map(({ mode, fault }) => plannedCell(mode, fault));
  const baselineModes = plan.baseline ? plan.modes.filter((mode) => plan.slice?.baselines.has(baselineKey(plan.version, mode.mode)) ?? true) : [];
  const total = cells.length * plan.repetitions;
  const done: { fault: string; durationMs: number }[] = [];
  const upcomingOf = (cell: RunCellResults): UpcomingCase => ({ fault: cell.fault.name, extraMiB: Math.max(0, (cell.fault.datasetMiB ?? 0) - plan.datasetMiB) });
  const baselineMs = baselineModes.length * BASELINE_MS_PER_MODE;
  if (cells.length > 0) await warmUp(plan, workload);
  const parallel = Math.max(1, plan.parallel ?? 1);
  // Repetitions stay in order: a cell's second run never overlaps its first, and its results stay in run order.
  for (let repetition = 1; repetition <= plan.repetitions; repetition++) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cells.length) {
        const cell = cells[next++] as RunCellResults;
        const result = await runCase(cell, plan, workload);
        cell.results.push(result);
        done.push({ fault: cell.fault.name, durationMs: result.durationMs });
        const upcoming = [...cells.slice(next), ...Array.from({ length: plan.repetitions - repetition }, () => cells).flat()].map(upcomingOf);
        listener.onCase({
          index: done.length,
          total,
          repetition,
          result,
          elapsedMs: Date.now() - startedAtMs,
          remainingMs: Math.round(estimateRemainingMs(done, upcoming) / parallel) + baselineMs,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, cells.length) }, worker));
  }
  const baseline = baselineModes.length > 0 ? await runBaseline(plan, baselineModes, workload, listener) : null;
  return {
    runId: plan.runId,
    version: plan.version,
    image: plan.image,
    datasetMiB: plan.datasetMiB,
    repetitions: plan.repetitions,
    workload,
    wallTimeMs: Date.now() - startedAtMs,
    cells,
    baseline,
    ...(parallel > 1 ? { parallel } : {}),
    // As an unsharded report names them: the faults as the first row runs them.
    ...(plan.slice ? { planned: { rows: plan.modes, faults: plan.faults.map((f) => (plan.modes[0] ? plannedCell(plan.modes[0], f).fault : f)) } } : {}),
  };
}

/** A case still to run, for the estimate: its fault, and how many MiB more than the others it preloads. */
export interface UpcomingCase {
  fault: string;
  extraMiB: number;
}

/** What preloading and saving one more MiB costs a case, roughly, on the reference machine (ms). */
const MS_PER_EXTRA_MIB = 20;
/** What comparing one mode with redis-benchmark takes, roughly (ms). */
const BASELINE_MS_PER_MODE = 5_000;

/**
 * Remaining time: each upcoming case takes what finished cases of its fault took on average; a fault
 * not seen yet takes the overall average plus its extra preload.
 */
export function estimateRemainingMs(done: readonly { fault: string; durationMs: number }[], upcoming: readonly UpcomingCase[]): number {
  if (done.length === 0) return 0;
  const mean = (items: readonly { durationMs: number }[]): number => items.reduce((sum, d) => sum + d.durationMs, 0) / items.length;
  const overall = mean(done);
  return Math.round(
    upcoming.reduce((sum, next) => {
      const same = done.filter((d) => d.fault === next.fault);
      return sum + (same.length > 0 ? mean(same) : overall + next.extraMiB * MS_PER_EXTRA_MIB);
    }, 0),
  );
}

// A custom row decides its own contract, and how the fault runs for it.
function plannedCell(mode: MatrixRowSpec, fault: Fault<string>): RunCellResults {
  if (!isCustomRow(mode)) return { mode, fault, expected: contractFor(mode, fault.name), results: [] };
  const { expected, notApplicable, notRun } = mode.expectationFor(fault.name);
  return { mode, fault: mode.faultFor(fault), expected, results: [], ...(notApplicable !== undefined ? { notApplicable } : {}), ...(notRun !== undefined ? { notRun } : {}) };
}

async function runCase(cell: RunCellResults, plan: MatrixPlan, workload: WorkloadShape): Promise<CellResult> {
  const startedAtMs = Date.now();
  if (cell.notApplicable !== undefined) return unrunCase(cell, plan, "not-applicable", cell.notApplicable, 0);
  if (cell.notRun !== undefined) return unrunCase(cell, plan, "unknown", cell.notRun, 0);
  const image = rowImage(cell.mode, plan.image.name);
  try {
    const result = await runCell({
      // The cell names its volume and artifacts after the mode: a row's name ("compose.yml:redis") is made safe for both.
      mode: cell.mode.mode.replace(/[^a-zA-Z0-9_.-]+/g, "-"),
      configFile: cell.mode.configFile,
      expected: cell.expected,
      fault: cell.fault,
      image,
      workload,
      datasetMiB: plan.datasetMiB,
      ...(needsFaultFs(cell.fault.name) ? { storage: faultFsStorage(image) } : isCustomRow(cell.mode) && cell.mode.storage ? { storage: cell.mode.storage } : {}),
    });
    return { ...result, mode: cell.mode.mode };
  } catch (error) {
    if (error instanceof NoDockerEngineError) throw error;
    // One broken case should not cost the whole matrix: it is reported as "unknown", with the error.
    const message = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" / ") : String(error);
    return unrunCase(cell, plan, "unknown", `the case could not run: ${message}`, Date.now() - startedAtMs);
  }
}

// A case that did not run (it failed, or no contract applies): nothing measured, the reason says why.
function unrunCase(cell: RunCellResults, plan: MatrixPlan, valid: "unknown" | "not-applicable", reason: string, durationMs: number): CellResult {
  return {
    mode: cell.mode.mode,
    fault: cell.fault.name,
    image: rowImage(cell.mode, plan.image.name),
    serverVersion: "unknown",
    serverVersionAfter: "unknown",
    contractSource: cell.expected.source,
    verdict: { valid, contract: cell.expected.contract, reasons: [reason], figures: NOTHING_MEASURED, evidence: [] },
    throughput: { acknowledged: 0, opsPerSecond: 0, p50Ms: 0, p99Ms: 0 },
    recoveryMs: 0,
    datasetKeys: 0,
    dataDirBytes: 0,
    durationMs,
    proofs: [],
    ...(valid === "not-applicable" ? { notApplicable: reason } : {}),
  };
}

// The first case would otherwise pay for cold code paths and connections in its write rate.
async function warmUp(plan: MatrixPlan, workload: WorkloadShape): Promise<void> {
  const [mode] = plan.modes;
  if (!mode) return;
  const node = await new RedisNode(rowImage(mode, plan.image.name), mode.configFile).start();
  try {
    await harnessWriteRate(node, workload.clients, workload.depth, workload.valueBytes, WARM_UP_MS);
  } finally {
    await node.remove();
  }
}

async function runBaseline(plan: MatrixPlan, rows: readonly MatrixRowSpec[], workload: WorkloadShape, listener: MatrixListener): Promise<Baseline> {
  const modes: BaselineMode[] = [];
  for (const mode of rows) {
    let measured: Omit<BaselineMode, "version">;
    try {
      measured = await measureBaseline({
        image: rowImage(mode, plan.image.name),
        mode,
        clients: workload.clients,
        depth: workload.depth,
        valueBytes: workload.valueBytes,
        writeMs: workload.writeBeforeMs,
      });
    } catch (error) {
      if (error instanceof NoDockerEngineError) throw error;
      // The baseline only judges the harness's resolution: losing it must not cost the measured cells.
      listener.onNote(`baseline ${mode.mode}: skipped, redis-benchmark could not run: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      continue;
    }
    // A deployed row's cells run on its own storage and memory limit; the baseline's server does not.
    modes.push({ version: plan.version, ...measured, ...(isCustomRow(mode) ? { otherSetup: true as const } : {}) });
    listener.onNote(
      `baseline ${mode.mode}: harness ${measured.harnessOpsPerSecond}/s, redis-benchmark ${measured.benchmarkOpsPerSecond}/s (ratio ${measured.ratio})`,
    );
  }
  return { tool: "redis-benchmark", clients: workload.clients, valueBytes: recordBytes(workload.valueBytes), modes, ratio: median(modes.map((m) => m.ratio)) };
}
