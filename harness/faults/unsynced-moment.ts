import { setTimeout as sleep } from "node:timers/promises";
import type { FaultFsStatus } from "./fault-fs/fault-fs.js";
import { isAofPath } from "./last-fsync.js";

/** How the power cut chose its moment: whether fault-fs showed unsynced AOF bytes just before it, where in the fsync period it fell, and how long that took. */
export interface UnsyncedMoment {
  found: boolean;
  waitedMs: number;
  /** Milliseconds since the latest AOF fsync, when one is logged. */
  sinceFsyncMs: number | null;
  /** The server's AOF fsync period as fault-fs saw it (median of the latest gaps), in ms; null before two fsyncs. */
  periodMs: number | null;
}

const POLL_MS = 5;
/** The fsync period assumed before fault-fs has logged two AOF fsyncs: everysec's. */
const DEFAULT_PERIOD_MS = 1_000;
/**
 * A cut is never chosen in the last this many ms before the next fsync is due: an fsync completing
 * between the last look at fault-fs and the kill would leave nothing unsynced at the cut (under
 * everysec Redis writes nothing to the AOF while its background fsync runs, so right after one the
 * file holds nothing unsynced although acknowledged writes wait in the server's buffer).
 */
const BEFORE_NEXT_FSYNC_MS = 50;
const GAPS_READ = 5;

/** The status fields the choice reads (fault-fs's control file). */
export type StatusSource = () => Promise<Pick<FaultFsStatus, "files" | "fsyncLog">>;

/**
 * Waits for a moment at which some AOF file on fault-fs holds unsynced bytes and (`periodic`: an
 * AOF fsynced on a period, everysec) which falls at a random point of the server's own fsync
 * period, never just before the next fsync. The period is the one fault-fs observed, so a server
 * that fsyncs less often than it should is cut late in its long gaps too, and loses what that
 * costs. Returns at the deadline without one; the cut's proof then says so.
 */
export async function awaitUnsyncedAof(
  status: StatusSource,
  options: { deadlineMs: number; periodic: boolean; now?: () => number; random?: () => number },
): Promise<UnsyncedMoment> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const start = now();
  const draw = random();
  let sinceFsyncMs: number | null = null;
  let periodMs: number | null = null;
  for (;;) {
    const seen = await status();
    const pending = seen.files.some((f) => isAofPath(f.path) && f.pendingBytes > 0);
    const fsyncs = seen.fsyncLog.filter((r) => !r.dir && isAofPath(r.path)).map((r) => r.atMs);
    const last = fsyncs.at(-1);
    sinceFsyncMs = last === undefined ? null : now() - last;
    periodMs = medianGap(fsyncs.slice(-(GAPS_READ + 1)));
    const period = periodMs ?? DEFAULT_PERIOD_MS;
    const latest = Math.max(0, period - BEFORE_NEXT_FSYNC_MS);
    const inPhase = !options.periodic || (sinceFsyncMs !== null && sinceFsyncMs >= draw * latest && sinceFsyncMs <= latest);
    if (pending && inPhase) return { found: true, waitedMs: now() - start, sinceFsyncMs, periodMs };
    // Two periods find every phase once; a long period gets its time.
    if (now() - start >= Math.max(options.deadlineMs, 2 * period + 500)) return { found: false, waitedMs: now() - start, sinceFsyncMs, periodMs };
    await sleep(POLL_MS);
  }
}

function medianGap(times: readonly number[]): number | null {
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number)).sort((a, b) => a - b);
  return gaps.length === 0 ? null : (gaps[Math.floor(gaps.length / 2)] as number);
}

/** The moment in a few words, for the report. */
export function describeMoment(moment: UnsyncedMoment): string {
  const fsync = moment.sinceFsyncMs === null ? "no AOF fsync logged yet" : `${moment.sinceFsyncMs} ms after the latest AOF fsync`;
  const period = moment.periodMs === null ? "" : `, fsync period ${moment.periodMs} ms`;
  return moment.found ? `unsynced AOF bytes seen ${fsync}${period} (waited ${moment.waitedMs} ms)` : `no moment with unsynced AOF bytes in ${moment.waitedMs} ms (${fsync}${period})`;
}
