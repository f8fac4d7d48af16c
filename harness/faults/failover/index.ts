import type { FailoverFault, FailoverFaultName } from "./failover-fault.js";
import { primaryKill } from "./primary-kill.js";
import { primaryPartition } from "./primary-partition.js";
import { primaryRestartEmpty } from "./primary-restart-empty.js";

/** Every fault on a replicated group, by name, in the order reports list them. */
export const FAILOVER_FAULTS: Record<FailoverFaultName, FailoverFault> = {
  "primary-kill": primaryKill,
  "primary-partition": primaryPartition,
  "primary-restart-empty": primaryRestartEmpty,
};

/** The failover fault of that name, or an error listing the known names. */
export function failoverFaultNamed(name: string): FailoverFault {
  const fault = (FAILOVER_FAULTS as Record<string, FailoverFault | undefined>)[name];
  if (!fault) throw new Error(`unknown failover fault "${name}"; known: ${Object.keys(FAILOVER_FAULTS).join(", ")}`);
  return fault;
}
