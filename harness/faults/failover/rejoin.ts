import { parseInfo } from "../../runtime/redis-client.js";
import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import { waitUntilSettled } from "../../topology/settle.js";
import type { FaultContext } from "../fault.js";
import type { Struck } from "./failover-fault.js";
import { oneFailoverProof, rejoinedProof } from "./failover-proofs.js";

/**
 * How long the old primary may take to be turned into a replica, in ms. Sentinel waits about 8 s
 * (4 hello periods) after seeing a deposed primary still call itself master before it sends
 * REPLICAOF, and polls a replica's INFO only every 10 s: about 10-20 s here.
 */
export const REJOIN_DEADLINE_MS = 45_000;

/** Waits for the group to settle with the old primary back as a replica, and proves that it is one; measures how long it took. */
export async function rejoinAsReplica(group: StartedSentinelGroup, struck: Struck, ctx: FaultContext): Promise<void> {
  await group.refreshPorts();
  const settled = await waitUntilSettled(group, REJOIN_DEADLINE_MS, false);
  ctx.measure?.("rejoinMs", settled.waitedMs);
  const old = group.nodeAt(struck.oldPrimaryIp);
  const replication = parseInfo(await old.node.withClient((redis) => redis.info("replication"), 2_000));
  ctx.prove?.(oneFailoverProof(struck.newPrimaryIp, settled.primaryIp));
  ctx.prove?.(rejoinedProof(struck.oldPrimaryIp, settled.primaryIp, replication));
}
