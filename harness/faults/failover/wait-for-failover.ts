import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import type { FaultContext } from "../fault.js";
import { failoverProof } from "./failover-proofs.js";

/** How long a failover may take before the fault says it did not happen, in ms (several times the 3-5 s it takes here). */
export const FAILOVER_DEADLINE_MS = 20_000;

const POLL_MS = 50;

/** Waits until a Sentinel names a primary other than `oldPrimaryIp` (within `deadlineMs` of `since`); proves it (or that it did not happen) and returns it. */
export async function waitForFailover(
  group: StartedSentinelGroup,
  oldPrimaryIp: string,
  since: number,
  ctx: FaultContext,
  deadlineMs = FAILOVER_DEADLINE_MS,
): Promise<{ newPrimaryIp: string; failoverMs: number }> {
  for (;;) {
    // Any Sentinel naming another primary counts: the leader knows first, the others learn it from its hello messages (every 2 s).
    const answers = await Promise.all(group.sentinels.map((sentinel) => sentinel.primaryIp().catch(() => oldPrimaryIp)));
    const named = answers.find((ip) => ip !== oldPrimaryIp) ?? oldPrimaryIp;
    const waitedMs = Date.now() - since;
    if (named !== oldPrimaryIp || waitedMs > deadlineMs) {
      const proof = failoverProof(oldPrimaryIp, named === oldPrimaryIp ? undefined : named, waitedMs);
      ctx.prove?.(proof);
      if (!proof.held) throw new Error(`no failover: ${proof.seen}`);
      ctx.measure?.("failoverMs", waitedMs);
      return { newPrimaryIp: named, failoverMs: waitedMs };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
