import { setTimeout as sleep } from "node:timers/promises";
import { VERSION_DIFFERENCES } from "../../../configs/version-differences.js";
import { parseInfo } from "../../runtime/redis-client.js";
import type { GroupNode } from "../../topology/sentinel-group.js";
import type { FailoverFault } from "./failover-fault.js";
import { handedOverInSyncProof, handedOverProof, replicasBehindProof } from "./failover-proofs.js";
import { strikeWithReplicasBehind } from "./lag-replicas.js";
import { rejoinAsReplica } from "./rejoin.js";
import { requireBehaviour } from "./require-behaviour.js";
import { waitForFailover } from "./wait-for-failover.js";

/** FAILOVER's own TIMEOUT, in ms: a replica that has not caught up by then aborts the handover (the primary resumes as primary). */
export const HANDOVER_TIMEOUT_MS = 5_000;

/**
 * How long the Sentinels may take to name the new primary, in ms. They did not order the handover:
 * a monitored primary that reports role:slave is taken for down only after down-after-milliseconds
 * plus two INFO periods (2 x 10 s, sentinel.c sentinelCheckSubjectivelyDown), then they fail over
 * on their own: about 22-25 s here (redis issue 13118: "Sentinel will usually failover again").
 */
export const SENTINEL_CATCH_UP_DEADLINE_MS = 40_000;

const POLL_MS = 50;

/**
 * `FAILOVER` on the primary while writing (6.2+), struck while both replicas are frozen and behind
 * it (lag-replicas.ts), so the catch-up is what keeps the writes: it pauses writes (CLIENT PAUSE
 * WRITE), waits for a replica to consume its whole replication stream, demotes itself and hands
 * the primary role to that replica. Sentinel has no part in it, so the writers, who follow the Sentinels, are sent
 * back to the demoted node until the Sentinels fail over by themselves.
 */
export const primaryGracefulFailover: FailoverFault = {
  name: "primary-graceful-failover",
  description:
    "with both replicas frozen behind it, FAILOVER on the primary while writing (6.2+: pause writes, wait for a replica to catch up, hand it the primary role); the Sentinels, which did not order it, fail over by themselves once they take the demoted primary for down",
  async inject(group, ctx) {
    const oldPrimaryIp = await group.primaryIp();
    const old = group.nodeAt(oldPrimaryIp);
    await requireBehaviour(old, VERSION_DIFFERENCES.failoverCommand, "primary-graceful-failover");
    const logBefore = (await old.node.logs()).length;
    let since = Date.now();
    const { lag } = await strikeWithReplicasBehind(group, oldPrimaryIp, async () => {
      since = Date.now();
      await old.node.withClient((redis) => redis.call("FAILOVER", "TIMEOUT", String(HANDOVER_TIMEOUT_MS)), 2_000);
    });
    ctx.prove?.(replicasBehindProof(lag));
    // Measured from the FAILOVER, but read only after the thaw: the handover cannot complete before it, so it is at least THAW_AFTER_STRIKE_MS.
    const replication = await waitForHandover(old, since + HANDOVER_TIMEOUT_MS + 2_000);
    const handoverMs = Date.now() - since;
    ctx.measure?.("handoverMs", handoverMs);
    ctx.measure?.("handedOverTo", replication.get("master_host") ?? "(none)");
    const proof = handedOverProof(oldPrimaryIp, replication, handoverMs);
    ctx.prove?.(proof);
    if (!proof.held) throw new Error(`FAILOVER did not hand over: ${proof.seen}`);
    ctx.prove?.(handedOverInSyncProof((await old.node.logs()).slice(logBefore)));
    return { oldPrimaryIp, ...(await waitForFailover(group, oldPrimaryIp, since, ctx, SENTINEL_CATCH_UP_DEADLINE_MS)) };
  },
  async heal(group, struck, ctx) {
    await rejoinAsReplica(group, struck, ctx);
  },
};

/** Polls the demoting primary's INFO replication until it is a replica with its link up, or until `untilMs`; returns the last INFO. */
async function waitForHandover(old: GroupNode, untilMs: number): Promise<Map<string, string>> {
  for (;;) {
    const replication = parseInfo(await old.node.withClient((redis) => redis.info("replication"), 2_000));
    const handedOver = replication.get("role") === "slave" && replication.get("master_link_status") === "up";
    if (handedOver || Date.now() > untilMs) return replication;
    await sleep(POLL_MS);
  }
}
