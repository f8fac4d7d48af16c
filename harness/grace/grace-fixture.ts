import { MODES } from "../../configs/modes.js";
import type { ModeSpec } from "../../configs/modes.js";
import type { LossFigures } from "../checkers/verdict.js";
import { graceContract, shutdownStepsOfMode } from "./grace-contract.js";
import type { GraceCellResult } from "./run-grace-cell.js";
import type { GraceSweepRun } from "./run-grace-sweep.js";
import { sweepableModes } from "./run-grace-sweep.js";
import type { StopFacts } from "./stop-outcome.js";

// Shutdowns as measured on the reference machine: rdb 0.85 s at 64 MiB, 2.0 s at 256 MiB; rdb-aof 1.2 s and 4.8 s.
const SHUTDOWN_MS: Record<string, Record<number, number>> = { rdb: { 64: 850, 256: 2_000 }, "rdb-aof": { 64: 1_200, 256: 4_800 } };

/** A plausible sweep (rdb and rdb-aof at 64 and 256 MiB, graces 0, 1 and 30 s), as this machine measures it. For tests and previews. */
export function fixtureGraceRun(repetitions = 1, modes: ModeSpec[] = [MODES.rdb, MODES["rdb-aof"], MODES["aof-everysec"]]): GraceSweepRun {
  const gracesMs = [0, 1_000, 30_000];
  const datasetSizesMiB = [64, 256];
  const results: GraceCellResult[] = [];
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const mode of sweepableModes(modes).swept) {
      for (const datasetMiB of datasetSizesMiB) {
        for (const graceMs of gracesMs) results.push(fixtureCell(mode, datasetMiB, graceMs, repetition));
      }
    }
  }
  return {
    plan: { image: "localhost/redis-persistence/redis-debian:bookworm", modes, gracesMs, datasetSizesMiB, repetitions },
    results,
    notApplicable: sweepableModes(modes).notApplicable,
    expectedMs: 120_000,
    wallTimeMs: 131_000,
  };
}

/** One stop as the reference machine gives it: the save finishes when the grace outlasts the shutdown. */
export function fixtureCell(mode: ModeSpec, datasetMiB: number, graceMs: number, repetition = 1): GraceCellResult {
  const steps = shutdownStepsOfMode(mode);
  const shutdown = (SHUTDOWN_MS[mode.mode]?.[datasetMiB] ?? 1_000) + (repetition - 1) * 60;
  const saved = graceMs > shutdown;
  const stop: StopFacts = saved
    ? { ended: "exited", exitCode: 0, finalSave: "completed", aofFlushed: steps.aof, shutdownMs: shutdown, finalSaveMs: shutdown - 110, aofFlushMs: steps.aof ? 3 : null, seen: "exit code 0; the final save completed (\"DB saved on disk\"); \"ready to exit\" logged" }
    : {
        ended: "killed",
        exitCode: 137,
        finalSave: "interrupted",
        aofFlushed: steps.aof,
        shutdownMs: graceMs + 330,
        finalSaveMs: null,
        aofFlushMs: steps.aof ? 2 : null,
        seen: "exit code 137; the final save began and never completed",
      };
  const applies = graceContract(mode, steps, stop);
  const acknowledged = 30_000 + repetition * 200;
  const lost = applies.expected.contract.kind === "after-snapshot-only" ? 9_000 + repetition * 50 : 0;
  const figures: LossFigures = {
    attempted: acknowledged + 16,
    acknowledged,
    lostAcknowledged: lost,
    recoveredUnacknowledged: 0,
    refusedRecovered: 0,
    gaps: 0,
    orderViolations: 0,
    corrupted: 0,
    lossWindowMs: lost > 0 ? 1_050 : 0,
    allLost: false,
    clientsAllLost: 0,
    keysInDatabase: datasetMiB * 256 + acknowledged - lost,
  };
  return {
    mode: mode.mode,
    datasetMiB,
    graceMs,
    repetition,
    serverVersion: "7.0.15",
    stop,
    situation: applies.situation,
    expected: applies.expected,
    verdict: { valid: true, contract: applies.expected.contract, reasons: [], figures, evidence: [] },
    recoveryMs: 300 + datasetMiB * 5,
    datasetKeys: datasetMiB * 256,
    durationMs: 6_000 + datasetMiB * 20 + Math.min(graceMs, shutdown),
  };
}
