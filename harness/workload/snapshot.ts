import type { Redis } from "ioredis";
import type { HistoryRecorder } from "./history.js";
import { parseInfo } from "../runtime/redis-client.js";

const POLL_MS = 20;
const TIMEOUT_MS = 120_000;

/**
 * BGSAVE recorded as a mark: the snapshot holds every write acknowledged before the mark's
 * invocation and none invoked after its reply (the fork happens before BGSAVE replies).
 * Resolves once the snapshot is on disk.
 */
export async function takeSnapshot(redis: Redis, recorder: HistoryRecorder, markName: string): Promise<void> {
  const before = Number(parseInfo(await redis.info("persistence")).get("rdb_last_save_time"));
  await recorder.mark(markName, () => redis.bgsave());
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const info = parseInfo(await redis.info("persistence"));
    if (info.get("rdb_bgsave_in_progress") === "0") {
      if (info.get("rdb_last_bgsave_status") !== "ok") throw new Error("BGSAVE failed: see the Redis log");
      if (Number(info.get("rdb_last_save_time")) >= before) return;
    }
    if (Date.now() > deadline) throw new Error(`BGSAVE did not complete within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
