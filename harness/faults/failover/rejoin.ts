import { parseInfo } from "../../runtime/redis-client.js";
import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import { waitUntilSettled } from "../../topology/settle.js";
import type { FaultContext } from "../fault.js";
import type { Struck } from "./failover-fault.js";
import { oneFailoverProof, rejoinedProof } from "./failover-proofs.js";

/**
 * How long the old primary may take to be turned into a replica, in ms. Sentinel waits about 8 s
 * (4 hello periods) after seeing a deposed primary still call itself master before it sends
 * REPLICAOF, and polls a replica's INFO only every 10 s: about 10-20 s here (15.8-17.9 s
 * measured). A connection to the new primary whose handshake stalls (a SYN lost while the
 * network comes back) is dropped and retried only after repl-timeout, 60 s by default
 * (replicationCron: "Timeout connecting to the MASTER"): one such retry must fit too.
 */
export const REJOIN_DEADLINE_MS = 80_000;

/** Waits for the group to settle with the old primary back as a replica, and proves that it is one; measures how long it took. */
export async function rejoinAsReplica(group: StartedSentinelGroup, struck: Struck, ctx: FaultContext): Promise<void> {
  await group.refreshPorts();
  const settled = await waitUntilSettled(group, REJOIN_DEADLINE_MS, false).catch(async (error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await replicaState(group, struck.oldPrimaryIp)}`);
  });
  ctx.measure?.("rejoinMs", settled.waitedMs);
  const old = group.nodeAt(struck.oldPrimaryIp);
  const replication = parseInfo(await old.node.withClient((redis) => redis.info("replication"), 2_000));
  ctx.prove?.(oneFailoverProof(struck.newPrimaryIp, settled.primaryIp));
  ctx.prove?.(rejoinedProof(struck.oldPrimaryIp, settled.primaryIp, replication));
}

const LINK_FIELDS = ["role", "master_host", "master_link_status", "master_sync_in_progress", "master_link_down_since_seconds", "master_last_io_seconds_ago", "master_repl_offset"];

// What the old primary says of its link, and the end of its log: why it did not rejoin.
async function replicaState(group: StartedSentinelGroup, ip: string): Promise<string> {
  const { node } = group.nodeAt(ip);
  const info = await node
    .withClient((redis) => redis.info("replication"), 2_000)
    .then((text) => LINK_FIELDS.map((f) => `${f}:${parseInfo(text).get(f) ?? "?"}`).join(" "))
    .catch((e: unknown) => `INFO failed: ${String(e)}`);
  const log = await node.logs().catch((e: unknown) => String(e));
  return `  ${ip} now: ${info}\n  its last log lines:\n${log.trimEnd().split("\n").slice(-15).map((l) => `    ${l}`).join("\n")}`;
}
