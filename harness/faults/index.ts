import { DISK_FAULTS } from "./disk-faults.js";
import type { Fault, FaultName } from "./fault.js";
import { gracefulStop } from "./graceful-stop.js";
import { recreateSameVolume } from "./recreate-same-volume.js";
import { recreateWithoutVolume } from "./recreate-without-volume.js";
import { shortGrace } from "./short-grace.js";
import { sigkill } from "./sigkill.js";

/** Every process fault, by name, in the order reports list them. */
export const PROCESS_FAULTS: Record<FaultName, Fault> = {
  "graceful-stop": gracefulStop,
  sigkill,
  "short-grace": shortGrace,
  "recreate-same-volume": recreateSameVolume,
  "recreate-without-volume": recreateWithoutVolume,
};

/** The faults the command line can name: the process faults, and power loss (which needs fault-fs). */
export const NAMED_FAULTS: Record<string, Fault<string>> = { ...PROCESS_FAULTS, "power-loss": DISK_FAULTS["power-loss"] };

/** Whether a fault needs /data on the fault filesystem (every disk fault does). */
export function needsFaultFs(name: string): boolean {
  return name in DISK_FAULTS;
}

/** The process fault of that name, or an error listing the known names. */
export function faultNamed(name: string): Fault {
  const fault = (PROCESS_FAULTS as Record<string, Fault | undefined>)[name];
  if (!fault) throw new Error(`unknown fault "${name}"; known faults: ${Object.keys(PROCESS_FAULTS).join(", ")}`);
  return fault;
}

/** Any fault the command line can name (process faults and power loss), or an error listing them. */
export function namedFault(name: string): Fault<string> {
  const fault = NAMED_FAULTS[name];
  if (!fault) throw new Error(`unknown fault "${name}"; known faults: ${Object.keys(NAMED_FAULTS).join(", ")}`);
  return fault;
}
