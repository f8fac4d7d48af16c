import { effectiveConf } from "../gate/effective-conf.js";
import { parseConf } from "../gate/parse-conf.js";
import { readFileSync } from "node:fs";
import type { ModeSpec, SourcedContract } from "../../configs/modes.js";
import type { StopFacts } from "./stop-outcome.js";

/** What a mode's shutdown does: a final RDB save (save points configured) and/or an AOF flush. */
export interface ShutdownSteps {
  finalSave: boolean;
  aof: boolean;
}

/**
 * The shutdown steps a config asks for, read as Redis reads its directives (the last one wins; a
 * config with no `save` line keeps Redis's compiled-in save points). Pure.
 */
export function shutdownStepsOf(confText: string): ShutdownSteps {
  // Read as Redis reads it (quotes, `save ""`, multi-value `save`), not split by hand.
  const conf = effectiveConf(parseConf(confText));
  return { finalSave: conf.savePoints.length > 0, aof: conf.appendonly.value === "yes" };
}

/** The shutdown steps of a mode's config file. */
export function shutdownStepsOfMode(mode: ModeSpec): ShutdownSteps {
  return shutdownStepsOf(readFileSync(mode.configFile, "utf8"));
}

/** The contract a stop is judged by, the documented situation it is, and the proof that the stop was that situation. */
export interface GraceContract {
  expected: SourcedContract;
  /** Which documented case applies, in words. */
  situation: string;
  /** False when the exit code and the log do not say what happened: the cell is then "unknown". */
  explained: boolean;
}

/**
 * Which of the mode's documented contracts a stop falls under, decided by what its exit code and
 * log prove happened, never by what was lost. A final save that completed saved everything
 * (graceful-stop's contract); SIGKILL after the AOF was flushed, or during an RDB-only final save,
 * is short-grace's (the flushed AOF, or the previous dump.rdb, loads); SIGKILL before either is a
 * plain crash (sigkill's). Pure.
 */
export function graceContract(mode: ModeSpec, steps: ShutdownSteps, stop: Pick<StopFacts, "ended" | "finalSave" | "aofFlushed">): GraceContract {
  const c = mode.contracts;
  if (stop.ended === "unexplained") {
    return { expected: c.sigkill, situation: "the stop ended neither by itself (exit 0, \"ready to exit\") nor by SIGKILL (137): judged as a crash, and unknown", explained: false };
  }
  if (stop.finalSave === "completed") return { expected: c["graceful-stop"], situation: "the final save completed", explained: true };
  if (stop.ended === "exited") {
    return steps.finalSave
      ? { expected: c["graceful-stop"], situation: "exited by itself but logged no completed final save", explained: false }
      : { expected: c["graceful-stop"], situation: "no final save to make: exited by itself after the AOF flush", explained: true };
  }
  if (steps.aof && stop.aofFlushed) return { expected: c["short-grace"], situation: "killed after the AOF was flushed and fsynced", explained: true };
  if (!steps.aof && stop.finalSave === "interrupted") return { expected: c["short-grace"], situation: "killed during the final save: the previous snapshot loads", explained: true };
  return { expected: c.sigkill, situation: steps.aof ? "killed before the AOF flush completed: a crash" : "killed before the final save began: a crash", explained: true };
}
