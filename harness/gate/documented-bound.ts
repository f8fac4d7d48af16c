import type { ConfExplanation, LossBound } from "./explain-conf.js";
import type { MemoryFacts } from "./memory-bounds.js";
import { memoryFaultBound } from "./memory-bounds.js";

/** What the gate knows of the deployment besides the config. */
export interface DeploymentFacts {
  /** The measured shutdown took longer than the declared stop grace: a stop ends in SIGKILL. */
  shutdownOutlastsGrace: boolean;
  /** `dir` resolves onto the volume (/data). */
  dirOnVolume: boolean;
  /** The `dir` as written, for the wording. */
  dir: string;
  /** For a deployment: its data dir and storage ("/data (anonymous-volume)"), for the wording. */
  storageText?: string;
  /** False where a restart of the container finds no files (a tmpfs, or a platform that restarts a container as a new one on its own layer); undefined is true. */
  restartKeepsFiles?: boolean;
  /** False where the storage does not outlive the machine losing power (a tmpfs, /dev/shm, an emptyDir): no files after a power cut; undefined is true. */
  rebootKeepsFiles?: boolean;
  /** How long a save of the dataset takes, in ms (the gate's measured shutdown): what a bound's `plusSaves` adds per save; undefined adds none. */
  saveMs?: number;
  /** `maxmemory`, its policy and the container's memory limit, for the memory faults; without it they are judged as `maxmemory 0`, no limit. */
  memory?: MemoryFacts;
}

/** The faults whose documented bound depends on whether the measured shutdown outlasts the grace. */
export const STOPS: ReadonlySet<string> = new Set(["graceful-stop", "recreate-same-volume"]);
/** The faults healed by starting the container again (the memory ones too: an OOM kill restarts it). */
export const RESTARTS: ReadonlySet<string> = new Set(["graceful-stop", "sigkill", "short-grace", "fork-under-memory-limit"]);

/**
 * Redis's documented worst case for this config under one fault: a power cut loses what was not
 * fsynced (powerLoss); a stop Redis completes loses what its final flush or save misses
 * (cleanStop), and one cut short by the grace is a crash; a kill is a crash (processCrash); no
 * volume, or files off it, lose everything on a new container, and storage that a restart empties
 * (a tmpfs) loses everything on any restart. Pure.
 */
export function documentedBoundFor(fault: string, explanation: ConfExplanation, facts: DeploymentFacts): LossBound {
  return withSaves(boundFor(fault, explanation, facts), facts.saveMs);
}

// A snapshot bound waits for BGSAVEs whose length depends on the dataset: add the measured ones.
function withSaves(bound: LossBound, saveMs: number | undefined): LossBound {
  if (bound.plusSaves === undefined || bound.maxMs === null) return bound;
  const { plusSaves, ...rest } = bound;
  if (saveMs === undefined) return bound;
  return { ...rest, maxMs: bound.maxMs + plusSaves * saveMs, text: `${bound.text}; a save of this dataset took ${Math.round(saveMs)} ms here` };
}

/** Whether the deployment's storage itself loses every file to the fault: no volume or files off it on a new container, nothing kept across a restart, RAM under a power cut. Pure. */
export function storageLosesEverything(fault: string, facts: DeploymentFacts): boolean {
  if (fault === "recreate-without-volume") return true;
  if (fault === "recreate-same-volume") return !facts.dirOnVolume;
  if (fault === "power-loss") return facts.rebootKeepsFiles === false;
  return RESTARTS.has(fault) && restartLosesFiles(facts);
}

function restartLosesFiles(facts: DeploymentFacts): boolean {
  return facts.restartKeepsFiles === false;
}

function boundFor(fault: string, explanation: ConfExplanation, facts: DeploymentFacts): LossBound {
  if (fault === "power-loss") {
    if (facts.rebootKeepsFiles === false) return { maxMs: null, text: `everything: the data dir ${facts.storageText ?? facts.dir} does not survive the machine losing power` };
    return explanation.powerLoss;
  }
  if (RESTARTS.has(fault) && restartLosesFiles(facts)) {
    return { maxMs: null, text: `everything: the data dir ${facts.storageText ?? facts.dir} keeps no files across a restart of the container` };
  }
  const memory = memoryFaultBound(fault, explanation, facts.memory ?? { maxmemoryBytes: 0, policy: "noeviction" });
  if (memory) return memory;
  if (fault === "recreate-without-volume") return { maxMs: null, text: "everything: the new container has no volume, so the data dir is gone" };
  if (fault === "recreate-same-volume" && !facts.dirOnVolume) {
    if (facts.storageText !== undefined) return { maxMs: null, text: `everything: the data dir ${facts.storageText} does not survive a new container, so it starts empty` };
    return { maxMs: null, text: `everything: \`dir ${facts.dir}\` is not on the volume, so the files go with the removed container` };
  }
  if (STOPS.has(fault)) {
    if (!facts.shutdownOutlastsGrace) return explanation.cleanStop;
    return { ...explanation.processCrash, text: `the measured shutdown outlasts the grace, so the stop ends in SIGKILL, a crash: ${explanation.processCrash.text}` };
  }
  return explanation.processCrash;
}
