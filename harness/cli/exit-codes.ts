/** The exit codes of `redis-persistence` (documented in docs/gate-ci.md). */
export const EXIT = {
  /** Gate: every measured loss within the bound. Matrix: report written, every contract held. */
  ok: 0,
  /** Gate: a bound broken. Matrix: report written, some contract did not hold (or repetitions disagree). */
  failed: 1,
  /** Bad arguments, a missing file, or a config Redis rejects. */
  usage: 2,
  /** No Docker engine, or no Redis image. */
  environment: 3,
  /** Interrupted by SIGINT/SIGTERM (after cleaning up). */
  interrupted: 130,
} as const;

/** A mistake in how the command was called; its message says what to do. Exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
