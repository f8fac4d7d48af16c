import type { Redis } from "ioredis";

const POLL_MS = 20;

/**
 * A resumeAfterBreak for startWriters: waits until the Sentinel client has connected to a primary
 * again (status "ready"), for at most `timeoutMs`, and gives up early once `stopping()` says the
 * run is over. Nothing is resent meanwhile: the client has no offline queue.
 */
export function followPrimary(timeoutMs: number, stopping: () => boolean): (redis: Redis) => Promise<boolean> {
  return async (redis) => {
    const deadline = Date.now() + timeoutMs;
    // Sleep first: a client that still reads "ready" while its writes fail at once would otherwise spin without yielding.
    while (!stopping() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (redis.status === "ready") return true;
    }
    return false;
  };
}
