import type { Contract } from "../checkers/contract.js";
import type { Validity } from "../checkers/verdict.js";
import type { FinalSave, StopEnd } from "../grace/stop-outcome.js";
import type { Stat } from "./report.js";

/** One stop of the grace sweep: what ended the process, the final save, the contract that applied, the loss. Times in ms. */
export interface GraceRun {
  repetition: number;
  ended: StopEnd;
  exitCode: number;
  finalSave: FinalSave;
  aofFlushed: boolean;
  /** Stop sent to exit. */
  shutdownMs: number;
  /** From the server's log: "Saving the final RDB snapshot" to "DB saved on disk"; null unless both logged. */
  finalSaveMs: number | null;
  /** From the server's log: the AOF flush and fsync at shutdown; null unless logged. */
  aofFlushMs: number | null;
  /** The stop in words: "saved and exited in 0.9 s", "killed during the final save after 1.6 s". */
  stop: string;
  /** The exit code and log lines the classification rests on. */
  seen: string;
  /** Which documented case applied ("the final save completed", "killed during the final save: ..."). */
  situation: string;
  contract: Contract;
  contractText: string;
  contractSource: string;
  verdict: Validity;
  acknowledged: number;
  lostAcknowledged: number;
  /** null: unbounded (a client lost every acknowledged write). */
  lossWindowMs: number | null;
  allLost: boolean;
  recoveryMs: number;
  datasetKeys: number;
  durationMs: number;
  reasons: string[];
  /** Where the history, log and verdict went, when kept. */
  artifactsDir: string | null;
}

/** One mode x dataset size x grace over its repetitions. */
export interface GraceCell {
  mode: string;
  datasetMiB: number;
  graceMs: number;
  runs: GraceRun[];
  /** false beats unknown beats not-applicable beats true. */
  verdict: Validity;
  consistent: boolean;
  /** The final save in every run, or "mixed" when repetitions differ. */
  finalSave: FinalSave | "mixed";
  lostAcknowledged: Stat;
  shutdownMs: Stat;
  recoveryMs: Stat;
  /** The cell in words: "saved in 0.9 s: none lost", "killed mid-save at 1 s: 34,210 lost (after the snapshot)". */
  summary: string;
}

/** The measured shutdown of one mode at one dataset size, and the grace to give for it. Times in ms. */
export interface GraceShutdown {
  mode: string;
  datasetMiB: number;
  stops: number;
  /** Stops Redis finished by itself (exit 0 after its final save), over every grace and repetition. */
  completedStops: number;
  /** Their stop-to-exit times; null when none finished. */
  shutdownMs: Stat | null;
  /** Their final saves by the server's log; null when none was logged complete. */
  finalSaveMs: Stat | null;
  /** MiB per second of the median completed final save, null without one. */
  saveMiBPerSecond: number | null;
  /** The longest grace at which a stop was killed (the shutdown took longer than it then); null when none was. */
  longestKilledGraceMs: number | null;
  /** The slowest measured shutdown: the slowest completed stop, or the longest grace that proved too short, whichever is longer. */
  slowestMs: number | null;
  /** recommendedGraceMs(slowestMs); null when no stop finished within the longest grace tried. */
  recommendedGraceMs: number | null;
  /** "for 256 MiB on this disk, give at least 4 s (...)". */
  recommendation: string;
}

/** The opt-in grace sweep of `matrix --graces`: report.json's `grace`. */
export interface GraceSection {
  gracesMs: number[];
  datasetSizesMiB: number[];
  /** The modes swept (those with a final save). */
  modes: string[];
  /** Modes asked for that have no final save, and why they are not swept. */
  notApplicable: { mode: string; reason: string }[];
  repetitions: number;
  image: string;
  serverVersion: string;
  /** The disk the volumes were on: the caveat of every figure here. */
  disk: string;
  margin: number;
  rule: string;
  /** What the sweep was expected to take before it started, and what it took. */
  expectedMs: number;
  wallTimeMs: number;
  cells: GraceCell[];
  shutdowns: GraceShutdown[];
}
