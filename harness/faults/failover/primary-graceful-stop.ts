import { VERSION_DIFFERENCES } from "../../../configs/version-differences.js";
import { gracefulExitProof } from "../process-proofs.js";
import type { FailoverFault } from "./failover-fault.js";
import { replicasBehindProof, replicasInSyncAtShutdownProof } from "./failover-proofs.js";
import { strikeWithReplicasBehind } from "./lag-replicas.js";
import { rejoinAsReplica } from "./rejoin.js";
import { requireBehaviour } from "./require-behaviour.js";
import { waitForFailover } from "./wait-for-failover.js";

/** The stop's grace, in ms: above shutdown-timeout (10 s by default), so the primary's wait for its replicas is never cut short by the SIGKILL. */
export const PRIMARY_STOP_GRACE_MS = 15_000;

/**
 * A planned stop of the primary: SIGTERM with a grace above shutdown-timeout (docker stop -t 15),
 * struck while both replicas are frozen and behind it (lag-replicas.ts), so the wait is what
 * keeps the writes: since 7.0 the primary pauses writes and waits for its replicas to take its
 * whole replication stream before it exits; Sentinel then finds it down and promotes a replica
 * that has everything. The old primary is started again after the promotion and rejoins as a replica.
 */
export const primaryGracefulStop: FailoverFault = {
  name: "primary-graceful-stop",
  description: `with both replicas frozen behind it, SIGTERM the primary with a ${PRIMARY_STOP_GRACE_MS / 1000} s grace (above shutdown-timeout: since 7.0 it waits for its replicas before it exits); Sentinel promotes a replica; the old primary is started again and rejoins as a replica`,
  promotedBecause: "objective-down",
  async inject(group, ctx) {
    const oldPrimaryIp = await group.primaryIp();
    const old = group.nodeAt(oldPrimaryIp);
    await requireBehaviour(old, VERSION_DIFFERENCES.shutdownWaitsForReplicas, "primary-graceful-stop");
    const since = Date.now();
    const { struck, lag } = await strikeWithReplicasBehind(group, oldPrimaryIp, () => old.node.stop(PRIMARY_STOP_GRACE_MS));
    const log = await old.node.logs();
    ctx.measure?.("stopMs", Date.now() - since);
    ctx.prove?.(replicasBehindProof(lag));
    ctx.prove?.(gracefulExitProof(struck.exitCode, log));
    ctx.prove?.(replicasInSyncAtShutdownProof(log, lag.replicas));
    return { oldPrimaryIp, ...(await waitForFailover(group, oldPrimaryIp, since, ctx)) };
  },
  async heal(group, struck, ctx) {
    await group.nodeAt(struck.oldPrimaryIp).node.startAgain();
    await rejoinAsReplica(group, struck, ctx);
  },
};
