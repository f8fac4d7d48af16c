import type { StartedSentinelGroup } from "../../topology/sentinel-group.js";
import type { FaultContext } from "../fault.js";

/** The names of the faults on a replicated group; each says what happens to the primary. */
export type FailoverFaultName = "primary-kill" | "primary-partition";

/** What a fault did to the group: the primary it struck, the one Sentinel promoted, and how long that took (ms). */
export interface Struck {
  oldPrimaryIp: string;
  newPrimaryIp: string;
  /** From the fault to the Sentinels naming a new primary: the time without a writable primary. */
  failoverMs: number;
}

/** A fault on the group's primary (`inject`, resolving once Sentinel has promoted another) and its repair (`heal`). */
export interface FailoverFault {
  name: FailoverFaultName;
  /** One sentence: what happens to the primary, and how it comes back. */
  description: string;
  /** Strikes the primary while writes are in flight; resolves once the Sentinels name a new primary. */
  inject(group: StartedSentinelGroup, ctx: FaultContext): Promise<Struck>;
  /** Brings the old primary back; resolves once the group has settled with it as a replica. */
  heal(group: StartedSentinelGroup, struck: Struck, ctx: FaultContext): Promise<void>;
}
