import type { Redis } from "ioredis";
import { parseInfo } from "../runtime/redis-client.js";

const POLL_MS = 20;

/** Starts a BGSAVE and waits for it to end; resolves with `rdb_last_bgsave_status` ("ok" or "err"). */
export async function bgsaveOutcome(redis: Redis, timeoutMs = 60_000): Promise<string> {
  await redis.bgsave();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = parseInfo(await redis.info("persistence"));
    if (info.get("rdb_bgsave_in_progress") === "0") return info.get("rdb_last_bgsave_status") ?? "unknown";
    if (Date.now() > deadline) throw new Error(`BGSAVE did not end within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** How many replies of an error class (e.g. MISCONF) the server has sent, from INFO errorstats (Redis 6.2+). */
export async function errorReplies(redis: Redis, errorClass: string): Promise<number> {
  const line = parseInfo(await redis.info("errorstats")).get(`errorstat_${errorClass}`);
  return Number(/count=(\d+)/.exec(line ?? "")?.[1] ?? 0);
}
