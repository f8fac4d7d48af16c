import type { FsyncRecord } from "./fault-fs/fault-fs.js";

/** The mark a power cut records for the since-last-fsync contract. */
export const LAST_FSYNC_MARK = "last-fsync";

/**
 * The last moment an AOF fsync made durable, as a mark: writes acknowledged before invokeAtMs are
 * durable, writes invoked after okAtMs are not. Times in ms since the epoch (host clock).
 */
export interface DurablePoint {
  invokeAtMs: number;
  okAtMs: number;
  /** How it was found, for the report. */
  basis: string;
}

/** The last durable point, and what could not be accounted for (a non-empty list makes it unreliable). */
export interface DurablePointResult {
  point: DurablePoint;
  problems: string[];
}

/** What lastDurableAofPoint reads: fault-fs's fsync log, Redis's own log and the server's start. */
export interface DurablePointInput {
  fsyncLog: readonly FsyncRecord[];
  /** fault-fs's power-cut count at the cut: only fsyncs logged with this count came before it. */
  lossesAtCut: number;
  redisLog: string;
  /** When the server started (ms since the epoch): the point when no fsync covered any write. */
  startedAtMs: number;
}

// "1:M 01 Dec 2026 09:20:01.942 * <message>": pid, role, UTC time with ms, level, message.
const LOG_LINE = /^(\d+):([A-Z]) (\d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3}) [.\-*#] (.*)$/gm;
const FORK = /^Background append only file rewriting started by pid (\d+)$/;
const REWRITE_DONE = /^Background AOF rewrite finished successfully$/;
const REWRITE_TEMP = /^\/temp-rewriteaof-(?:bg-)?(\d+)\.aof$/;

/** Whether a path (through the mount, leading slash) holds AOF commands: the single file, a base or incr file, a rewrite's temp file. Manifests do not. */
export function isAofPath(path: string): boolean {
  if (path.endsWith(".manifest")) return false;
  return /^\/appendonlydir\/[^/]+$/.test(path) || /^\/appendonly[^/]*\.aof$/.test(path) || REWRITE_TEMP.test(path);
}

interface LogEvent {
  pid: number;
  role: string;
  atMs: number;
  message: string;
}

function logEvents(redisLog: string): LogEvent[] {
  return [...redisLog.matchAll(LOG_LINE)].map((m) => ({ pid: Number(m[1]), role: m[2] ?? "", atMs: Date.parse(`${m[3]}Z`), message: m[4] ?? "" }));
}

/** A background rewrite seen in the log: its child's pid, when it forked, whether it finished (ms). */
interface Rewrite {
  childPid: number;
  forkLoggedAtMs: number;
  finishedAtMs?: number;
}

function rewrites(events: LogEvent[]): Rewrite[] {
  const found: Rewrite[] = [];
  for (const event of events) {
    const fork = FORK.exec(event.message);
    if (fork) found.push({ childPid: Number(fork[1]), forkLoggedAtMs: event.atMs });
    const last = found.at(-1);
    if (REWRITE_DONE.test(event.message) && last && last.finishedAtMs === undefined) last.finishedAtMs = event.atMs;
  }
  return found;
}

/**
 * The last durable point of the AOF before a power cut. An fsync of the single AOF or an incr
 * file covers every write acknowledged before the latest write(2) it made durable. A rewrite's
 * base (written by a forked child) holds the dataset at the fork: it counts once Redis logged that
 * the rewrite finished, at the time of "Background append only file rewriting started by pid"
 * (logged in the parent right after fork, before any further reply; the log has ms resolution, so
 * the fork lies within [logged, logged + 1 ms]). When nothing covers a write, the point is the start.
 */
export function lastDurableAofPoint(input: DurablePointInput): DurablePointResult {
  const events = logEvents(input.redisLog);
  const known = rewrites(events);
  // The server's own pids (role M): a rewrite it runs itself (at start) holds the dataset of that moment.
  const serverPids = new Set(events.filter((e) => e.role === "M").map((e) => e.pid));
  const problems: string[] = [];
  let point: DurablePoint = { invokeAtMs: input.startedAtMs, okAtMs: input.startedAtMs, basis: "no AOF fsync covered a write: the server's start" };
  const later = (candidate: DurablePoint) => {
    if (candidate.invokeAtMs > point.invokeAtMs) point = candidate;
  };
  for (const record of input.fsyncLog) {
    if (record.dir || record.losses !== input.lossesAtCut || record.bytes === 0 || !isAofPath(record.path)) continue;
    const pid = REWRITE_TEMP.exec(record.path)?.[1];
    const rewrite = pid === undefined ? undefined : known.filter((r) => r.childPid === Number(pid) && r.forkLoggedAtMs <= record.atMs).at(-1);
    if (rewrite) {
      if (rewrite.finishedAtMs === undefined) continue; // never renamed into place: the previous files stay the loaded ones
      later({ invokeAtMs: rewrite.forkLoggedAtMs, okAtMs: rewrite.forkLoggedAtMs + 1, basis: `rewrite base ${record.path} (fork of pid ${rewrite.childPid} logged at ${iso(rewrite.forkLoggedAtMs)}, fsynced at ${iso(record.atMs)})` });
    } else if (pid !== undefined && !serverPids.has(Number(pid))) {
      problems.push(`${record.path} was fsynced at ${iso(record.atMs)} but the log shows no rewrite by pid ${pid}: what it covers is unknown`);
    } else if (record.lastWriteMs !== null) {
      later({ invokeAtMs: record.lastWriteMs, okAtMs: record.lastWriteMs, basis: `fsync of ${record.path} at ${iso(record.atMs)} (${record.bytes} B, latest write ${iso(record.lastWriteMs)})` });
    }
  }
  return { point, problems };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
