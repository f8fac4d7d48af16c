import { parseInfo } from "../../runtime/redis-client.js";
import type { GroupNode, StartedSentinelGroup } from "../../topology/sentinel-group.js";
import { DOWN_AFTER_MS } from "../../topology/sentinel-settings.js";
import { waitUntilSettled } from "../../topology/settle.js";
import { killProof } from "../process-proofs.js";
import type { FailoverFault } from "./failover-fault.js";
import { fullResyncProof, noFailoverProof, restartedInPlaceProof } from "./failover-proofs.js";
import { REJOIN_DEADLINE_MS } from "./rejoin.js";

/** Writes before the fault, in ms: a total loss must be told from everysec's 2 s window (the checker needs the bound plus 0.5 s). */
export const RESTART_EMPTY_WRITE_BEFORE_MS = 3_000;

/**
 * Sentinel's down-after-milliseconds during this fault, in ms. The group runs 1.5 s (DOWN_AFTER_MS)
 * so that a failover cell fits in 30 s; Sentinel's default is 30 s. A docker kill + start of a
 * container on two networks took 1.55 s here with the machine loaded, which raced the 1.5 s
 * detection and lost: the Sentinels failed over and the promoted replica kept everything, a
 * different fault. The documented danger is a restart that Sentinel does not notice, so every
 * Sentinel is given 5 s before the strike (a sixth of the default, about three times the slowest
 * restart seen) and the fault proves the primary served again within it.
 */
export const RESTART_DOWN_AFTER_MS = 5_000;

/** What the primary says about itself before the kill and after the restart. */
interface Identity {
  runId: string | undefined;
  replid: string | undefined;
}

async function identityOf(node: GroupNode): Promise<Identity & { syncFull: number }> {
  const [server, replication, stats] = await node.node.withClient(async (redis) => Promise.all([redis.info("server"), redis.info("replication"), redis.info("stats")]), 2_000);
  return {
    runId: parseInfo(server).get("run_id"),
    replid: parseInfo(replication).get("master_replid"),
    syncFull: Number(parseInfo(stats).get("sync_full") ?? 0),
  };
}

// The primary's identity before the kill, per group (a cell runs one group at a time, but the fault object is shared).
const before = new WeakMap<StartedSentinelGroup, Identity>();

/**
 * The documented "replicas emptied" danger (redis.io replication docs, "Safety of replication
 * when master has persistence turned off"): the primary is SIGKILLed and its own container is
 * started again at once, an auto-restart faster than Sentinel's down-after-milliseconds (raised to
 * RESTART_DOWN_AFTER_MS for the fault, see there), so no failover happens; it comes back with what its own persistence kept (nothing, without any), under
 * a new run_id and a new replication ID, and its replicas, which cannot continue the old history,
 * do a full resync from it. The writers stop at the kill: the claim is about what was acknowledged
 * before the restart (writes to the restarted primary survive by design).
 */
export const primaryRestartEmpty: FailoverFault = {
  name: "primary-restart-empty",
  description:
    "SIGKILL the primary and start its container again at once (an auto-restart faster than Sentinel's down-after-milliseconds, 5 s for this fault): no failover; it comes back with what its own persistence kept and its replicas do a full resync from it",
  stopsWritersAtStrike: true,
  minWriteBeforeMs: RESTART_EMPTY_WRITE_BEFORE_MS,
  async inject(group, ctx, hooks) {
    const primaryIp = await group.primaryIp();
    const primary = group.nodeAt(primaryIp);
    await group.setDownAfter(RESTART_DOWN_AFTER_MS);
    ctx.measure?.("downAfterMs", RESTART_DOWN_AFTER_MS);
    const identity = await identityOf(primary);
    before.set(group, identity);
    const since = Date.now();
    await primary.node.signal("SIGKILL");
    const { exitCode } = await primary.node.waitUntilExited();
    // The restart and the writers' stop run side by side: the writers cannot reach the restarted
    // primary before refreshPorts gives its new published port to the natMap (below).
    await Promise.all([primary.node.startAgain(), hooks.stopWriters()]);
    const restartMs = Date.now() - since;
    await group.refreshPorts();
    ctx.measure?.("restartMs", restartMs);
    // The log now holds both runs: neither shut down, so a shutdown line means the kill was not one.
    ctx.prove?.(killProof(exitCode, await primary.node.logs()));
    const after = await identityOf(primary);
    ctx.prove?.(restartedInPlaceProof(identity.runId, after.runId, restartMs, RESTART_DOWN_AFTER_MS));
    return { oldPrimaryIp: primaryIp, newPrimaryIp: primaryIp, failoverMs: restartMs };
  },
  async heal(group, struck, ctx) {
    await group.refreshPorts();
    const settled = await waitUntilSettled(group, REJOIN_DEADLINE_MS, false);
    ctx.measure?.("resyncMs", settled.waitedMs);
    // Back to the group's own detection time once the replicas have resynced.
    await group.setDownAfter(DOWN_AFTER_MS);
    ctx.prove?.(noFailoverProof(struck.oldPrimaryIp, settled.primaryIp, await Promise.all(group.sentinels.map((s) => s.logs()))));
    const primary = group.nodeAt(struck.oldPrimaryIp);
    const after = await identityOf(primary);
    const replicas = group.nodes.filter((n) => n.ip !== struck.oldPrimaryIp);
    const states = await Promise.all(
      replicas.map(async (replica) => {
        const [replication, keys] = await replica.node.withClient(async (redis) => Promise.all([redis.info("replication"), redis.dbsize()]), 2_000);
        return { ip: replica.ip, replid: parseInfo(replication).get("master_replid"), keys };
      }),
    );
    // What the replicas kept: the danger is that they copy the restarted primary's (empty) dataset.
    ctx.measure?.("replicaKeys", states.map((s) => `${s.ip} ${s.keys}`).join(", "));
    ctx.measure?.("primaryKeysAfterResync", await primary.node.withClient((redis) => redis.dbsize(), 2_000));
    ctx.prove?.(fullResyncProof(before.get(group)?.replid, after.replid, after.syncFull, states));
  },
};
