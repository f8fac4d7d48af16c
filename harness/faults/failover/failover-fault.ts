import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import type { FaultContext } from "../fault.js";
import type { PromotionCause } from "./failover-proofs.js";

/** The names of the faults on a replicated group; each says what happens to the primary. */
export type FailoverFaultName = "primary-kill" | "primary-partition" | "primary-partition-long" | "primary-restart-empty" | "primary-graceful-stop" | "primary-graceful-failover" | "sentinel-failover";

/** What a fault did to the group: the primary it struck, the one Sentinel promoted, and how long that took (ms). */
export interface Struck {
  oldPrimaryIp: string;
  /** The primary after the fault: the one Sentinel promoted, or the struck one again when no failover is the point (primary-restart-empty). */
  newPrimaryIp: string;
  /** From the fault to the Sentinels naming a new primary (or the struck one serving again): the time without a writable primary. */
  failoverMs: number;
}

/** What the cell hands a fault at the strike. */
export interface StrikeHooks {
  /** Stops the writers and waits for their writes in flight to complete (for a fault whose claim is about what was written before it). */
  stopWriters(): Promise<void>;
}

/** A fault on the group's primary (`inject`, resolving once Sentinel has promoted another) and its repair (`heal`). */
export interface FailoverFault {
  name: FailoverFaultName;
  /** One sentence: what happens to the primary, and how it comes back. */
  description: string;
  /**
   * The fault stops the writers as it strikes (through StrikeHooks), so the read-back speaks only
   * for what was acknowledged before it; the cell then does not wait for writes after the fault.
   */
  stopsWritersAtStrike?: boolean;
  /** Why the Sentinels promote a replica, proven from their logs (promotionCauseProof); absent when that is not the fault's point. */
  promotedBecause?: PromotionCause;
  /** At least this long of writes before the fault, in ms (the cell's workload may ask for more). */
  minWriteBeforeMs?: number;
  /** Strikes the primary while writes are in flight; resolves once the Sentinels name a new primary (or, for a fault without failover, once the primary serves again). */
  inject(group: StartedSentinelGroup, ctx: FaultContext, hooks: StrikeHooks): Promise<Struck>;
  /** Brings the old primary back; resolves once the group has settled with it as a replica (primary-restart-empty: as the primary its replicas resynced from). */
  heal(group: StartedSentinelGroup, struck: Struck, ctx: FaultContext): Promise<void>;
}
