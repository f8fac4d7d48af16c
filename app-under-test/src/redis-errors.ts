/** Stored data that is not in the format this service writes: a bug or a foreign writer, never a Redis outage. */
export class CorruptData extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptData";
  }
}

// Replies that mean "this server cannot serve right now" rather than "this command is wrong".
const TRANSIENT_REPLIES = ["LOADING", "BUSY", "MISCONF", "READONLY", "OOM", "MASTERDOWN", "NOREPLICAS", "TRYAGAIN"];

/**
 * True when an error thrown by a Redis call means Redis is unreachable or not serving (a closed
 * connection, a timeout, an offline client, LOADING, MISCONF...): the request gets 503 and may be
 * retried. Errors in our own code and command errors (WRONGTYPE, ERR) are bugs: 500.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof CorruptData || error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) return false;
  if (error.name === "ReplyError") return TRANSIENT_REPLIES.some((code) => error.message.startsWith(code));
  return true;
}
