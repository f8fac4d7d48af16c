import { killProof } from "../process-proofs.js";
import type { FailoverFault } from "./failover-fault.js";
import { rejoinAsReplica } from "./rejoin.js";
import { waitForFailover } from "./wait-for-failover.js";

/** SIGKILL of the primary; Sentinel promotes a replica; the old primary is started again and rejoins as a replica. */
export const primaryKill: FailoverFault = {
  name: "primary-kill",
  description: "SIGKILL the primary (docker kill); Sentinel promotes a replica; the old primary is started again and rejoins as a replica",
  promotedBecause: "objective-down",
  async inject(group, ctx) {
    const oldPrimaryIp = await group.primaryIp();
    const { node } = group.nodeAt(oldPrimaryIp);
    const since = Date.now();
    await node.signal("SIGKILL");
    const { exitCode } = await node.waitUntilExited();
    ctx.prove?.(killProof(exitCode, await node.logs()));
    return { oldPrimaryIp, ...(await waitForFailover(group, oldPrimaryIp, since, ctx)) };
  },
  async heal(group, struck, ctx) {
    // Started only after the promotion: a primary back within down-after-milliseconds is another fault (primary-restart-empty).
    await group.nodeAt(struck.oldPrimaryIp).node.startAgain();
    await rejoinAsReplica(group, struck, ctx);
  },
};
