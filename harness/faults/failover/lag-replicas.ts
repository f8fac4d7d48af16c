import { setTimeout as sleep } from "node:timers/promises";
import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";

/**
 * How long the replicas are frozen before the strike, in ms: writes the primary acknowledges in
 * that time are on no replica, so a handover or a shutdown that did not wait for them would lose
 * them. Kept with THAW_AFTER_STRIKE_MS under Sentinel's down-after-milliseconds (1.5 s), so that
 * no Sentinel takes a frozen replica for down and leaves it out of its own choice.
 */
export const LAG_MS = 700;

/** How long after the strike the replicas stay frozen, in ms: the primary must find them behind and wait. */
export const THAW_AFTER_STRIKE_MS = 300;

/** What the freeze did: the primary's replication offset at the freeze and at the strike, and how many replicas the engine reported paused at the strike. */
export interface Lag {
  offsetAtFreeze: number;
  offsetAtStrike: number;
  frozenAtStrike: number;
  replicas: number;
}

/**
 * Runs `strike` against the primary while every replica is frozen and behind it: freezes them,
 * lets the writers go on for LAG_MS, starts the strike, thaws them THAW_AFTER_STRIKE_MS later, and
 * resolves with the strike's result and what the freeze did. The replicas are thawed on every
 * path; a failed thaw is reported beside the strike's own error, never instead of it.
 */
export async function strikeWithReplicasBehind<T>(group: StartedSentinelGroup, primaryIp: string, strike: () => Promise<T>): Promise<{ struck: T; lag: Lag }> {
  const replicas = group.nodes.filter((n) => n.ip !== primaryIp).map((n) => n.ip);
  const thawAll = async (): Promise<void> => {
    const failed = (await Promise.allSettled(replicas.map((ip) => group.thaw(ip)))).filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) throw new Error(`could not thaw a frozen replica: ${failed.map((f) => String(f.reason)).join("; ")}`);
  };
  let outcome: { struck: T; lag: Lag } | undefined;
  let failure: unknown;
  try {
    const offsetAtFreeze = await group.replicationOffset(primaryIp);
    const frozen = await Promise.allSettled(replicas.map((ip) => group.freeze(ip)));
    const refused = frozen.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (refused) throw refused.reason;
    await sleep(LAG_MS);
    const offsetAtStrike = await group.replicationOffset(primaryIp);
    const frozenAtStrike = (await Promise.all(replicas.map((ip) => group.isFrozen(ip)))).filter(Boolean).length;
    const struck = strike();
    // Observed, not awaited yet: a strike that fails at once must still thaw the replicas first.
    struck.catch(() => undefined);
    await sleep(THAW_AFTER_STRIKE_MS);
    await thawAll();
    outcome = { struck: await struck, lag: { offsetAtFreeze, offsetAtStrike, frozenAtStrike, replicas: replicas.length } };
  } catch (error) {
    failure = error;
  }
  const thawed = await thawAll().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failure !== undefined) throw thawed === undefined ? failure : new Error(`${String(failure)}; and ${String(thawed)}`);
  if (thawed !== undefined) throw thawed;
  if (!outcome) throw new Error("the strike did not run");
  return outcome;
}
