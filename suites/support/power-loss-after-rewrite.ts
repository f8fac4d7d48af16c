import { setTimeout as sleep } from "node:timers/promises";
import type { Fault } from "../../harness/faults/fault.js";
import { faultFsOf } from "../../harness/faults/needs-fault-fs.js";
import { cutPower } from "../../harness/faults/power-cut.js";
import { powerLoss } from "../../harness/faults/power-loss.js";

/** How long writes go on after the rewrite finished, before the cut (ms). */
export const WRITES_AFTER_REWRITE_MS = 500;

/**
 * A power cut some time after a BGREWRITEAOF completed while writes went on: the rewrite's fsynced
 * base holds the dataset at its fork, so the last durable point of an `appendfsync no` AOF lies
 * inside the run and some acknowledged writes must survive.
 */
export const powerLossAfterRewrite: Fault<"power-loss"> = {
  ...powerLoss,
  description: `BGREWRITEAOF while writing, ${WRITES_AFTER_REWRITE_MS} ms more writes once it finished, then a power cut`,
  async inject(node, ctx) {
    const faultFs = faultFsOf(ctx, "power-loss");
    await node.withClient(async (redis) => {
      await redis.call("BGREWRITEAOF");
      for (const deadline = Date.now() + 30_000; ; await sleep(20)) {
        const info = await node.info("persistence");
        if (info.get("aof_rewrite_in_progress") === "0" && info.get("aof_rewrite_scheduled") === "0") {
          ctx.measure?.("rewrite", info.get("aof_last_bgrewrite_status") ?? "unknown");
          break;
        }
        if (Date.now() > deadline) throw new Error("BGREWRITEAOF did not finish within 30 s");
      }
    });
    await sleep(WRITES_AFTER_REWRITE_MS);
    await cutPower(node, faultFs, ctx);
  },
};
