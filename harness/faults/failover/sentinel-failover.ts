import type { FailoverFault } from "./failover-fault.js";
import { rejoinAsReplica } from "./rejoin.js";
import { waitForFailover } from "./wait-for-failover.js";

/**
 * `SENTINEL FAILOVER` while the writers go on, the primary healthy: Sentinel promotes a replica
 * without asking the primary (no pause, no catch-up: redis issue 6062, valkey PR 1238), then
 * reconfigures the old primary, which acknowledges writes until that happens. Nothing is killed,
 * so the heal is the old primary's rejoin alone.
 */
export const sentinelFailover: FailoverFault = {
  name: "sentinel-failover",
  description: "SENTINEL FAILOVER on one Sentinel while writing: a replica is promoted without the primary's part, the old primary is then told to replicate from it",
  promotedBecause: "requested",
  async inject(group, ctx) {
    const oldPrimaryIp = await group.primaryIp();
    const since = Date.now();
    const [sentinel] = group.sentinels;
    if (!sentinel) throw new Error("the group has no Sentinel to ask for a failover");
    await sentinel.requestFailover();
    return { oldPrimaryIp, ...(await waitForFailover(group, oldPrimaryIp, since, ctx)) };
  },
  async heal(group, struck, ctx) {
    await rejoinAsReplica(group, struck, ctx);
  },
};
