import { parseInfo } from "../../runtime/redis-client.js";
import { DOWN_AFTER_MS } from "../../topology/sentinel-settings.js";
import type { FailoverFault } from "./failover-fault.js";
import { acknowledgedWhileCutOffProof } from "./failover-proofs.js";
import { rejoinAsReplica } from "./rejoin.js";
import { FAILOVER_DEADLINE_MS, waitForFailover } from "./wait-for-failover.js";

/**
 * Sentinel's down-after-milliseconds during primary-partition-long, in ms: the cut-off primary
 * stays the one its writers use for about this long, past the 11 s bound of min-replicas-max-lag
 * 10 (configs/min-replicas.ts) with 3 s to spare, so the bound is what the run tests, not a
 * failover that came first.
 */
export const LONG_PARTITION_DOWN_AFTER_MS = 14_000;

/**
 * The primary cut off from its replicas and the Sentinels (disconnected from the group network)
 * while the writers still reach it through its published port, which lives on the other network;
 * after the failover it is connected again under the same address and rejoins as a replica.
 * With `downAfterMs`, every Sentinel is given that detection time first (a longer partition).
 */
function partitionFault(name: "primary-partition" | "primary-partition-long", description: string, downAfterMs?: number): FailoverFault {
  return {
    name,
    description,
    promotedBecause: "objective-down",
    async inject(group, ctx) {
      if (downAfterMs !== undefined) {
        await group.setDownAfter(downAfterMs);
        ctx.measure?.("downAfterMs", downAfterMs);
      }
      const oldPrimaryIp = await group.primaryIp();
      const old = group.nodeAt(oldPrimaryIp);
      const since = Date.now();
      await group.cutOff(oldPrimaryIp);
      // Read once the cut is in place: writes applied before it, during the disconnect, prove nothing.
      const offsetAtCut = await group.replicationOffset(oldPrimaryIp);
      const failover = await waitForFailover(group, oldPrimaryIp, since, ctx, FAILOVER_DEADLINE_MS + (downAfterMs ?? 0));
      const replication = parseInfo(await old.node.withClient((redis) => redis.info("replication"), 2_000));
      ctx.prove?.(acknowledgedWhileCutOffProof(offsetAtCut, Number(replication.get("master_repl_offset") ?? 0), replication.get("role")));
      return { oldPrimaryIp, ...failover };
    },
    async heal(group, struck, ctx) {
      await group.reconnect(struck.oldPrimaryIp);
      if (downAfterMs !== undefined) await group.setDownAfter(DOWN_AFTER_MS);
      await rejoinAsReplica(group, struck, ctx);
    },
  };
}

/** The partition with the group's own 1.5 s detection: the failover ends it after about 3 s. */
export const primaryPartition: FailoverFault = partitionFault(
  "primary-partition",
  "the primary is disconnected from the group network (its replicas and the Sentinels) while the writers still reach it on its published port; healed after Sentinel's failover",
);

/** The partition held about 15 s (Sentinel's detection raised to 14 s): what min-replicas-max-lag bounds. */
export const primaryPartitionLong: FailoverFault = partitionFault(
  "primary-partition-long",
  `primary-partition with Sentinel's down-after-milliseconds at ${LONG_PARTITION_DOWN_AFTER_MS / 1000} s: the cut-off primary stays the writers' for about 15 s, longer than min-replicas-max-lag 10 allows it to acknowledge`,
  LONG_PARTITION_DOWN_AFTER_MS,
);
