import type { ModeSpec } from "../../configs/modes.js";
import type { WorkloadShape } from "../cell/run-cell.js";
import { NoDockerEngineError } from "../runtime/docker-engine.js";
import type { ShutdownSteps } from "./grace-contract.js";
import { shutdownStepsOfMode } from "./grace-contract.js";
import type { EstimatedCell } from "./grace-estimate.js";
import { expectedCellMs, expectedSweepMs, remainingSweepMs } from "./grace-estimate.js";
import type { GraceCellResult } from "./run-grace-cell.js";
import { runGraceCell } from "./run-grace-cell.js";

/** What the grace sweep covers. Times in ms. */
export interface GraceSweepPlan {
  image: string;
  modes: ModeSpec[];
  gracesMs: number[];
  datasetSizesMiB: number[];
  repetitions: number;
  workload?: WorkloadShape;
  /** Run only these cells, in this order (tests pick the few that show the flip); default: every mode x size x grace. */
  only?: { mode: string; datasetMiB: number; graceMs: number }[];
  keepArtifacts?: boolean;
}

/** One planned stop. */
export interface PlannedGraceCell {
  mode: ModeSpec;
  steps: ShutdownSteps;
  datasetMiB: number;
  graceMs: number;
  repetition: number;
}

/** A finished stop, for progress lines. */
export interface GraceProgress {
  index: number;
  total: number;
  result: GraceCellResult;
  /** Set when the cell could not run; the result is then "unknown". */
  error?: string;
  elapsedMs: number;
  remainingMs: number;
}

/** What the sweep produced. */
export interface GraceSweepRun {
  plan: GraceSweepPlan;
  results: GraceCellResult[];
  /** Modes of the plan with no final save: not swept, and why. */
  notApplicable: { mode: string; reason: string }[];
  expectedMs: number;
  wallTimeMs: number;
}

/** Why a mode without save points is not swept. */
export const NO_FINAL_SAVE_TO_SWEEP =
  "no save points, so a stop runs no final save, only the AOF flush and fsync, which takes milliseconds whatever the dataset size: any grace of 1 s or more lets it finish, and grace 0 is a SIGKILL (the sigkill cell)";

/** The modes that have a final save to race against the grace, and those that do not. */
export function sweepableModes(modes: readonly ModeSpec[]): { swept: ModeSpec[]; notApplicable: { mode: string; reason: string }[] } {
  const swept = modes.filter((m) => shutdownStepsOfMode(m).finalSave);
  const notApplicable = modes.filter((m) => !swept.includes(m)).map((m) => ({ mode: m.mode, reason: NO_FINAL_SAVE_TO_SWEEP }));
  return { swept, notApplicable };
}

/** Every stop of the plan, repetitions outermost, then mode, size and grace (ascending). */
export function plannedCells(plan: GraceSweepPlan): PlannedGraceCell[] {
  const { swept } = sweepableModes(plan.modes);
  const graces = [...plan.gracesMs].sort((a, b) => a - b);
  const sizes = [...plan.datasetSizesMiB].sort((a, b) => a - b);
  const once: Omit<PlannedGraceCell, "repetition">[] = plan.only
    ? plan.only.map((c) => {
        const mode = swept.find((m) => m.mode === c.mode);
        if (!mode) throw new Error(`grace sweep: mode ${c.mode} is not among the swept modes (${swept.map((m) => m.mode).join(", ")})`);
        return { mode, steps: shutdownStepsOfMode(mode), datasetMiB: c.datasetMiB, graceMs: c.graceMs };
      })
    : swept.flatMap((mode) => sizes.flatMap((datasetMiB) => graces.map((graceMs) => ({ mode, steps: shutdownStepsOfMode(mode), datasetMiB, graceMs }))));
  return Array.from({ length: plan.repetitions }, (_, i) => once.map((c) => ({ ...c, repetition: i + 1 }))).flat();
}

/** The sweep's expected duration at the reference rates (ms). */
export function expectedGraceSweepMs(plan: GraceSweepPlan): number {
  return expectedSweepMs(plannedCells(plan));
}

/** Runs every planned stop; one that cannot run is reported "unknown" with its error instead of ending the sweep. */
export async function runGraceSweep(plan: GraceSweepPlan, onCell: (progress: GraceProgress) => void = () => {}): Promise<GraceSweepRun> {
  const startedAtMs = Date.now();
  const cells = plannedCells(plan);
  const expectedMs = expectedSweepMs(cells);
  const results: GraceCellResult[] = [];
  const done: { expectedMs: number; durationMs: number }[] = [];
  for (const [i, cell] of cells.entries()) {
    const cellStartedAtMs = Date.now();
    let result: GraceCellResult;
    let error: string | undefined;
    try {
      result = await runGraceCell({
        mode: cell.mode,
        datasetMiB: cell.datasetMiB,
        graceMs: cell.graceMs,
        image: plan.image,
        repetition: cell.repetition,
        ...(plan.workload ? { workload: plan.workload } : {}),
        ...(plan.keepArtifacts ? { keepArtifacts: true } : {}),
      });
    } catch (caught) {
      if (caught instanceof NoDockerEngineError) throw caught;
      error = caught instanceof Error ? caught.message.split("\n").slice(0, 3).join(" / ") : String(caught);
      result = failedGraceCell(cell, error, Date.now() - cellStartedAtMs);
    }
    results.push(result);
    done.push({ expectedMs: expectedCellMs(cell), durationMs: result.durationMs });
    onCell({
      index: i + 1,
      total: cells.length,
      result,
      ...(error ? { error } : {}),
      elapsedMs: Date.now() - startedAtMs,
      remainingMs: remainingSweepMs(done, cells.slice(i + 1) as EstimatedCell[]),
    });
  }
  return { plan, results, notApplicable: sweepableModes(plan.modes).notApplicable, expectedMs, wallTimeMs: Date.now() - startedAtMs };
}

function failedGraceCell(cell: PlannedGraceCell, message: string, durationMs: number): GraceCellResult {
  const expected = cell.mode.contracts.sigkill;
  return {
    mode: cell.mode.mode,
    datasetMiB: cell.datasetMiB,
    graceMs: cell.graceMs,
    repetition: cell.repetition,
    serverVersion: "unknown",
    stop: { ended: "unexplained", exitCode: -1, finalSave: "not-started", aofFlushed: false, shutdownMs: 0, finalSaveMs: null, aofFlushMs: null, seen: "the case could not run" },
    situation: "the case could not run",
    expected,
    verdict: {
      valid: "unknown",
      contract: expected.contract,
      reasons: [`the case could not run: ${message}`],
      figures: { attempted: 0, acknowledged: 0, lostAcknowledged: 0, recoveredUnacknowledged: 0, refusedRecovered: 0, gaps: 0, orderViolations: 0, corrupted: 0, lossWindowMs: 0, allLost: false, clientsAllLost: 0, keysInDatabase: 0 },
      evidence: [],
    },
    recoveryMs: 0,
    datasetKeys: 0,
    durationMs,
  };
}
