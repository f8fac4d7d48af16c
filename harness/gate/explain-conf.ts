import type { Mode } from "../../configs/modes.js";
import { EVERYSEC_WORST_CASE_MS } from "../../configs/modes.js";
import type { EffectiveConf, SavePoint } from "./effective-conf.js";

/** A documented worst-case loss: `maxMs` null means unbounded (everything since start, or since the last snapshot with no timer). */
export interface LossBound {
  maxMs: number | null;
  text: string;
  /** How many BGSAVE durations (they grow with the dataset) to add to maxMs; documentedBoundFor adds them. */
  plusSaves?: number;
}

/** What a config amounts to: the closest persistence mode of this suite, and what Redis promises for it. */
export interface ConfExplanation {
  mode: Mode;
  /** True when RDB snapshots run besides the AOF (or alone, for `rdb`). */
  snapshots: boolean;
  summary: string;
  /** Worst case on a process crash (SIGKILL, OOM kill): the kernel's page cache survives. */
  processCrash: LossBound;
  /** Worst case on a power cut or kernel crash: what was not fsynced is gone. */
  powerLoss: LossBound;
  /** Worst case on a stop Redis completes (SIGTERM, then it exits within the grace): the final AOF flush or save. */
  cleanStop: LossBound;
}

/** How long Linux typically keeps dirty pages before writing them back (dirty_expire_centisecs). */
export const OS_WRITEBACK_MS = 30_000;

// On SIGTERM Redis flushes and fsyncs the AOF, and runs a blocking SAVE when save points are set.
const AOF_FLUSH: LossBound = { maxMs: 0, text: "nothing acknowledged: the shutdown flushes and fsyncs the AOF" };
const FINAL_SAVE: LossBound = { maxMs: 0, text: "nothing acknowledged: the shutdown saves a final snapshot" };

/** Classifies a config into one of the suite's modes and states its documented loss bounds. Pure. */
export function explainConf(conf: EffectiveConf): ConfExplanation {
  const aof = conf.appendonly.value === "yes";
  const snapshots = conf.savePoints.length > 0;
  const snapshotBound = snapshotLoss(conf.savePoints);
  if (!aof && !snapshots) {
    const everything: LossBound = { maxMs: null, text: "everything: nothing is written to disk" };
    return { mode: "none", snapshots, summary: "no persistence (`save \"\"`, `appendonly no`)", processCrash: everything, powerLoss: everything, cleanStop: everything };
  }
  if (!aof) {
    // shutdown-on-sigterm nosave skips the final snapshot: a stop then loses what a crash loses.
    const cleanStop = /\bnosave\b/.test(conf.shutdownOnSigterm.value)
      ? { ...snapshotBound, text: `${snapshotBound.text}; \`shutdown-on-sigterm nosave\` skips the final snapshot` }
      : FINAL_SAVE;
    return { mode: "rdb", snapshots, summary: `RDB snapshots only (${describeSavePoints(conf.savePoints)}), no AOF`, processCrash: snapshotBound, powerLoss: snapshotBound, cleanStop };
  }
  const alsoSnapshots = snapshots ? ` plus RDB snapshots (${describeSavePoints(conf.savePoints)})` : "";
  const rewriteGap = conf.noAppendfsyncOnRewrite.value === "yes";
  switch (conf.appendfsync.value) {
    case "always":
      return {
        mode: "aof-always",
        snapshots,
        summary: `AOF, fsync before every reply${alsoSnapshots}`,
        processCrash: { maxMs: 0, text: "nothing acknowledged" },
        powerLoss: rewriteGap
          ? { maxMs: OS_WRITEBACK_MS, text: "up to ~30 s while an AOF rewrite or BGSAVE runs (no-appendfsync-on-rewrite yes)" }
          : { maxMs: 0, text: "nothing acknowledged" },
        cleanStop: AOF_FLUSH,
      };
    case "no":
      return {
        mode: "aof-no",
        snapshots,
        summary: `AOF, fsync left to the OS${alsoSnapshots}`,
        processCrash: { maxMs: 0, text: "at most the write in flight (the kernel has every write)" },
        powerLoss: { maxMs: OS_WRITEBACK_MS, text: "what the OS had not written back yet: typically up to ~30 s" },
        cleanStop: AOF_FLUSH,
      };
    default: {
      const window: LossBound = { maxMs: EVERYSEC_WORST_CASE_MS, text: "about 1 s, 2 s worst case (a slow fsync postpones writes up to 2 s)" };
      return {
        mode: snapshots ? "rdb-aof" : "aof-everysec",
        snapshots,
        summary: `AOF, fsync every second${alsoSnapshots}`,
        processCrash: window,
        powerLoss: rewriteGap ? { maxMs: OS_WRITEBACK_MS, text: "up to ~30 s while an AOF rewrite or BGSAVE runs (no-appendfsync-on-rewrite yes)" } : window,
        cleanStop: AOF_FLUSH,
      };
    }
  }
}

/** "900 s/1 change, 300 s/10 changes". */
export function describeSavePoints(points: readonly SavePoint[]): string {
  return points.map((p) => `${p.seconds} s/${p.changes} change${p.changes === 1 ? "" : "s"}`).join(", ");
}

// A single write fires only save points that need one change; with none, it waits for shutdown.
// Redis forks only when more than `seconds` whole seconds have passed since the last save *ended*
// (server.c serverCron: `unixtime - lastsave > seconds`; rdb.c sets lastsave when the child is done),
// so a crash just before the next snapshot completes loses seconds + 1 s plus two BGSAVE durations.
function snapshotLoss(points: readonly SavePoint[]): LossBound {
  const single = points.filter((p) => p.changes <= 1).map((p) => p.seconds);
  if (single.length === 0) {
    return { maxMs: null, text: "everything since the last snapshot, unbounded in time: no save point fires on a single change" };
  }
  const seconds = Math.min(...single);
  return {
    maxMs: (seconds + 1) * 1000,
    plusSaves: 2,
    text: `everything since the last snapshot: up to ${seconds + 1} s plus two BGSAVE durations (the next fork waits for more than ${seconds} s after the last save ended)`,
  };
}
