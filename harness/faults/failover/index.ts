import type { FailoverFault, FailoverFaultName } from "./failover-fault.js";
import { primaryGracefulFailover } from "./primary-graceful-failover.js";
import { primaryGracefulStop } from "./primary-graceful-stop.js";
import { primaryKill } from "./primary-kill.js";
import { primaryPartition, primaryPartitionLong } from "./primary-partition.js";
import { primaryRestartEmpty } from "./primary-restart-empty.js";
import { sentinelFailover } from "./sentinel-failover.js";

/** Every fault on a replicated group, by name, in the order reports list them. */
export const FAILOVER_FAULTS: Record<FailoverFaultName, FailoverFault> = {
  "primary-kill": primaryKill,
  "primary-partition": primaryPartition,
  "primary-partition-long": primaryPartitionLong,
  "primary-restart-empty": primaryRestartEmpty,
  "primary-graceful-stop": primaryGracefulStop,
  "primary-graceful-failover": primaryGracefulFailover,
  "sentinel-failover": sentinelFailover,
};

/**
 * The faults `matrix --topology sentinel` runs without --faults: all but primary-graceful-stop and
 * primary-partition-long, which are opt-in (with their cells the default set would pass the 6
 * minutes it is kept under here; npm test runs both either way).
 */
export const DEFAULT_FAILOVER_FAULTS: FailoverFaultName[] = (Object.keys(FAILOVER_FAULTS) as FailoverFaultName[]).filter(
  (name) => name !== "primary-graceful-stop" && name !== "primary-partition-long",
);

/** The failover fault of that name, or an error listing the known names. */
export function failoverFaultNamed(name: string): FailoverFault {
  const fault = (FAILOVER_FAULTS as Record<string, FailoverFault | undefined>)[name];
  if (!fault) throw new Error(`unknown failover fault "${name}"; known: ${Object.keys(FAILOVER_FAULTS).join(", ")}`);
  return fault;
}
