import { setTimeout as sleep } from "node:timers/promises";
import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { bgsaveOutcome, errorReplies } from "./redis-waits.js";

/** How long writes go on while the disk is full, in ms. */
export const DISK_FULL_HOLD_MS = 1_000;

/** How long writes go on once space has returned and a BGSAVE succeeded, in ms. */
export const SPACE_RETURNED_HOLD_MS = 500;

/**
 * The disk fills up under a BGSAVE (fault-fs answers every write with ENOSPC), writes go on for a
 * while, space returns and a BGSAVE succeeds, writes go on again, then a graceful stop and a start.
 * Measures both BGSAVEs, the MISCONF replies, and the keys added after space returned. Meant for
 * RDB-only modes: with an AOF, the AOF writes would fail too.
 */
export const diskFull: Fault<"disk-full"> = {
  name: "disk-full",
  description: `ENOSPC under a BGSAVE for ${DISK_FULL_HOLD_MS} ms of writes, space returns and BGSAVE again, then SIGTERM and start the same container`,
  async inject(node, ctx) {
    const faultFs = faultFsOf(ctx, "disk-full");
    await node.withClient(async (redis) => {
      const misconfBefore = await errorReplies(redis, "MISCONF");
      await faultFs.enospcAfter(0);
      try {
        ctx.measure?.("bgsaveWhileFull", await bgsaveOutcome(redis));
        await sleep(DISK_FULL_HOLD_MS);
        ctx.measure?.("misconfReplies", (await errorReplies(redis, "MISCONF")) - misconfBefore);
      } finally {
        await faultFs.clearFaults();
      }
      ctx.measure?.("bgsaveAfterSpaceReturned", await bgsaveOutcome(redis));
      const keysBefore = await redis.dbsize();
      await sleep(SPACE_RETURNED_HOLD_MS);
      ctx.measure?.("keysAddedAfterSpaceReturned", (await redis.dbsize()) - keysBefore);
    }, 60_000);
    const { enospcErrors } = await faultFs.status();
    ctx.measure?.("enospcErrors", enospcErrors);
    ctx.prove?.({ claim: "Redis met a full disk (fault-fs answered ENOSPC)", held: enospcErrors > 0, seen: `${enospcErrors} writes refused with ENOSPC` });
    await node.stop(GRACEFUL_STOP_GRACE_MS);
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
