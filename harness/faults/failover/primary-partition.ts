import { parseInfo } from "../../runtime/redis-client.js";
import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import type { FailoverFault } from "./failover-fault.js";
import { acknowledgedWhileCutOffProof } from "./failover-proofs.js";
import { rejoinAsReplica } from "./rejoin.js";
import { waitForFailover } from "./wait-for-failover.js";

/**
 * The primary cut off from its replicas and the Sentinels (disconnected from the group network)
 * while the writers still reach it through its published port, which lives on the other network;
 * after the failover it is connected again under the same address and rejoins as a replica.
 */
export const primaryPartition: FailoverFault = {
  name: "primary-partition",
  description:
    "the primary is disconnected from the group network (its replicas and the Sentinels) while the writers still reach it on its published port; healed after Sentinel's failover",
  async inject(group, ctx) {
    const oldPrimaryIp = await group.primaryIp();
    const old = group.nodeAt(oldPrimaryIp);
    const since = Date.now();
    await group.cutOff(oldPrimaryIp);
    // Read once the cut is in place: writes applied before it, during the disconnect, prove nothing.
    const offsetAtCut = await replicationOffset(group, oldPrimaryIp);
    const failover = await waitForFailover(group, oldPrimaryIp, since, ctx);
    const replication = parseInfo(await old.node.withClient((redis) => redis.info("replication"), 2_000));
    ctx.prove?.(acknowledgedWhileCutOffProof(offsetAtCut, Number(replication.get("master_repl_offset") ?? 0), replication.get("role")));
    return { oldPrimaryIp, ...failover };
  },
  async heal(group, struck, ctx) {
    await group.reconnect(struck.oldPrimaryIp);
    await rejoinAsReplica(group, struck, ctx);
  },
};

async function replicationOffset(group: StartedSentinelGroup, ip: string): Promise<number> {
  const info = parseInfo(await group.nodeAt(ip).node.withClient((redis) => redis.info("replication"), 2_000));
  return Number(info.get("master_repl_offset") ?? 0);
}
