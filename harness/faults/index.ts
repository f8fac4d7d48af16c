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

/** The fault of that name, or an error listing the known names. */
export function faultNamed(name: string): Fault {
  const fault = (PROCESS_FAULTS as Record<string, Fault | undefined>)[name];
  if (!fault) throw new Error(`unknown fault "${name}"; known faults: ${Object.keys(PROCESS_FAULTS).join(", ")}`);
  return fault;
}
