import type { FaultProof } from "./fault.js";

/** The exit code of a process ended by SIGKILL (128 + 9), as Docker reports it. */
export const SIGKILL_EXIT_CODE = 137;

// Redis (and Valkey) log these on every shutdown path; none of them runs after a SIGKILL.
const SHUTDOWN_LINE = /Received SIG(TERM|INT) scheduling shutdown|User requested shutdown|is now ready to exit, bye bye/;
const READY_TO_EXIT = /is now ready to exit, bye bye/;
const FINAL_SAVE_STARTED = /Saving the final RDB snapshot before exiting/;
const FINAL_SAVE_DONE = /DB saved on disk/;

/** What a short grace did: SIGKILL during the final save (proved or not), or nothing to interrupt. */
export type ShortGraceOutcome = { proof: FaultProof } | { notApplicable: string };

/** Proof that SIGKILL, not a shutdown, ended the process: exit code 137 and no shutdown line in its log. Pure. */
export function killProof(exitCode: number, log: string): FaultProof {
  const shutdown = firstMatch(log, SHUTDOWN_LINE);
  return {
    claim: "SIGKILL ended the process (exit code 137, no shutdown in the log)",
    held: exitCode === SIGKILL_EXIT_CODE && shutdown === undefined,
    seen: `exit code ${exitCode}${shutdown ? `; the log shows a shutdown: "${shutdown}"` : "; no shutdown line in the log"}`,
  };
}

/** Proof that the process shut down by itself within the grace: exit code 0 and "ready to exit" in its log. Pure. */
export function gracefulExitProof(exitCode: number, log: string): FaultProof {
  const ready = READY_TO_EXIT.test(log);
  return {
    claim: "the server shut down by itself within the grace (exit code 0, \"ready to exit\" logged)",
    held: exitCode === 0 && ready,
    seen: `exit code ${exitCode}; ${ready ? "\"ready to exit\" logged" : "no \"ready to exit\" line in the log"}`,
  };
}

/**
 * Whether a stop with a short grace killed the server during its final save: exit code 137 after
 * "Saving the final RDB snapshot" and before "DB saved on disk". A server with no final save (AOF
 * only: the flush takes milliseconds) that exits within the grace has nothing to interrupt. Pure.
 */
export function shortGraceOutcome(exitCode: number, log: string): ShortGraceOutcome {
  const started = lastIndexOf(log, FINAL_SAVE_STARTED);
  const savedAfter = started >= 0 && FINAL_SAVE_DONE.test(log.slice(started));
  if (started < 0 && exitCode === 0) {
    return { notApplicable: "no final save to interrupt: the server has no save points and exited within the grace (its AOF flush takes milliseconds)" };
  }
  const seen =
    `exit code ${exitCode}; ` +
    (started < 0 ? "no \"Saving the final RDB snapshot\" line" : savedAfter ? "the final save completed (\"DB saved on disk\")" : "the final save began and never completed");
  return { proof: { claim: "SIGKILL landed during the final save (exit code 137 after \"Saving the final RDB snapshot\", before \"DB saved on disk\")", held: exitCode === SIGKILL_EXIT_CODE && started >= 0 && !savedAfter, seen } };
}

/** Proof about the /data a recreated container got: a different mount (no volume) or the same one. Pure. */
export function dataMountProof(before: string, after: string, expectSame: boolean): FaultProof {
  return {
    claim: expectSame ? "the new container runs on the same /data volume" : "the new container's /data is a different mount (the old data is not there)",
    held: expectSame ? before === after : before !== after,
    seen: `/data was ${before}, is now ${after}`,
  };
}

function firstMatch(log: string, pattern: RegExp): string | undefined {
  return log.split("\n").find((line) => pattern.test(line))?.trim();
}

function lastIndexOf(log: string, pattern: RegExp): number {
  const lines = log.split("\n");
  let offset = 0;
  let found = -1;
  for (const line of lines) {
    if (pattern.test(line)) found = offset;
    offset += line.length + 1;
  }
  return found;
}
