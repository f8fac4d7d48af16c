import { SIGKILL_EXIT_CODE } from "../faults/process-proofs.js";

/** How a stop ended: Redis exited by itself (exit 0), SIGKILL ended it at the end of the grace (137), or neither. */
export type StopEnd = "exited" | "killed" | "unexplained";

/** The final RDB save of a shutdown: it completed ("DB saved on disk"), began and was cut short, or never began. */
export type FinalSave = "completed" | "interrupted" | "not-started";

/** What one stop did, read from its exit code and the server's log. Times in ms. */
export interface StopFacts {
  ended: StopEnd;
  exitCode: number;
  finalSave: FinalSave;
  /** The shutdown flushed and fsynced the AOF and went on ("Calling fsync() on the AOF file." followed by a later shutdown step). */
  aofFlushed: boolean;
  /** Stop sent to exit, as the caller measured it. */
  shutdownMs: number;
  /** "Saving the final RDB snapshot" to "DB saved on disk", by the server's own log timestamps; null unless both are logged. */
  finalSaveMs: number | null;
  /** "Calling fsync() on the AOF file." to the next shutdown step, by the server's log; null unless both are logged. */
  aofFlushMs: number | null;
  /** The exit code and the log lines the classification rests on, in words. */
  seen: string;
}

const SIGTERM_RECEIVED = /Received SIG(TERM|INT) scheduling shutdown/;
const SHUTDOWN_BEGAN = /User requested shutdown|Received SIG(TERM|INT) scheduling shutdown/;
const AOF_FSYNC = /Calling fsync\(\) on the AOF file/;
const FINAL_SAVE_STARTED = /Saving the final RDB snapshot before exiting/;
const FINAL_SAVE_DONE = /DB saved on disk/;
const READY_TO_EXIT = /is now ready to exit, bye bye/;
// "1:M 01 Dec 2026 09:36:49.416 * ..." (pid, role, day, month, year, time, level).
const TIMESTAMP = /^\d+:[A-Z] (\d{1,2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) /;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Classifies a stop from the exit code Docker reports and the server's log, looking only at what
 * follows the last SIGTERM: exit 0 with "ready to exit" is a stop Redis finished; 137 is SIGKILL at
 * the end of the grace, during the final save if "Saving the final RDB snapshot" came without "DB saved
 * on disk" after it. Pure.
 */
export function stopFactsOf(exitCode: number, log: string, shutdownMs: number): StopFacts {
  const lines = sinceLastSigterm(log.split("\n"));
  const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line));
  const saveStarted = at(FINAL_SAVE_STARTED);
  const saveDone = saveStarted >= 0 ? lines.findIndex((line, i) => i > saveStarted && FINAL_SAVE_DONE.test(line)) : -1;
  const aofFsync = at(AOF_FSYNC);
  const afterFsync = aofFsync >= 0 ? lines.findIndex((line, i) => i > aofFsync && (FINAL_SAVE_STARTED.test(line) || READY_TO_EXIT.test(line))) : -1;
  const ready = at(READY_TO_EXIT) >= 0;
  const finalSave: FinalSave = saveDone >= 0 ? "completed" : saveStarted >= 0 ? "interrupted" : "not-started";
  const ended: StopEnd = exitCode === 0 && ready ? "exited" : exitCode === SIGKILL_EXIT_CODE && !ready ? "killed" : "unexplained";
  const span = (from: number, to: number): number | null => {
    const a = from >= 0 ? timestampMs(lines[from] ?? "") : null;
    const b = to >= 0 ? timestampMs(lines[to] ?? "") : null;
    return a === null || b === null ? null : Math.max(0, b - a);
  };
  const shutdownBegan = at(SHUTDOWN_BEGAN) >= 0;
  const saveWords =
    finalSave === "completed" ? "the final save completed (\"DB saved on disk\")" : finalSave === "interrupted" ? "the final save began and never completed" : "no \"Saving the final RDB snapshot\" line";
  return {
    ended,
    exitCode,
    finalSave,
    aofFlushed: afterFsync >= 0,
    shutdownMs,
    finalSaveMs: span(saveStarted, saveDone),
    aofFlushMs: span(aofFsync, afterFsync),
    seen: `exit code ${exitCode}; ${shutdownBegan ? "" : "no shutdown line in the log; "}${aofFsync >= 0 ? "AOF fsync logged; " : ""}${saveWords}${ready ? "; \"ready to exit\" logged" : ""}`,
  };
}

/**
 * Corrects a final save the log calls interrupted when the snapshot file says otherwise: Redis renames
 * temp-<pid>.rdb over dump.rdb, fsyncs the directory and only then logs "DB saved on disk", so a
 * SIGKILL in between leaves the new snapshot in place with no line to say so. A dump.rdb written
 * after the stop was sent (its mtime, same kernel clock) can only be the final save's: the BGSAVE mark
 * before it finished at least a second earlier. Pure.
 */
export function withSnapshotFile(stop: StopFacts, dumpMtimeMs: number | null, stopSentAtMs: number): StopFacts {
  if (stop.finalSave !== "interrupted" || dumpMtimeMs === null || dumpMtimeMs < stopSentAtMs) return stop;
  return {
    ...stop,
    finalSave: "completed",
    seen: `${stop.seen}; but dump.rdb was written ${Math.round(dumpMtimeMs - stopSentAtMs)} ms after the stop was sent: the final save completed and was renamed in place, SIGKILL came before "DB saved on disk" was logged`,
  };
}

/** A stop in words: "saved and exited in 0.9 s", "killed during the final save after 1.6 s". */
export function describeStop(stop: Pick<StopFacts, "ended" | "finalSave" | "shutdownMs">, formatMs: (ms: number) => string): string {
  const after = formatMs(stop.shutdownMs);
  if (stop.ended === "exited") return stop.finalSave === "completed" ? `saved and exited in ${after}` : `exited in ${after}, no final save`;
  if (stop.ended === "killed") {
    if (stop.finalSave === "completed") return `saved, then killed after ${after}`;
    return stop.finalSave === "interrupted" ? `killed during the final save after ${after}` : `killed before any final save after ${after}`;
  }
  return `ended unexplained after ${after}`;
}

function sinceLastSigterm(lines: string[]): string[] {
  let last = -1;
  lines.forEach((line, i) => {
    if (SIGTERM_RECEIVED.test(line)) last = i;
  });
  return last < 0 ? lines : lines.slice(last);
}

/** The time of a Redis log line, ms on an arbitrary but consistent clock; null when it has none. Pure. */
export function timestampMs(line: string): number | null {
  const m = TIMESTAMP.exec(line);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2] ?? "");
  if (month < 0) return null;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}
