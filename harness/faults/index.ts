import { DISK_FAULTS } from "./disk-faults.js";
import type { Fault, FaultName } from "./fault.js";
import { DEFAULT_FORK_MEMORY_LIMIT_BYTES, forkUnderMemoryLimit } from "./fork-under-memory-limit.js";
import { gracefulStop } from "./graceful-stop.js";
import { memoryPressure } from "./memory-pressure.js";
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

/** The memory faults: the config's maxmemory-policy under a full memory, the seeds' allkeys-lru, and a fork past the container's limit. */
export const MEMORY_FAULTS: Record<string, Fault<string>> = {
  "memory-pressure": memoryPressure(),
  "memory-pressure-allkeys-lru": memoryPressure({ policy: "allkeys-lru" }),
  "fork-under-memory-limit": forkUnderMemoryLimit(DEFAULT_FORK_MEMORY_LIMIT_BYTES),
};

/** The faults the command line can name: the process faults, power loss (which needs fault-fs), and the memory faults. */
export const NAMED_FAULTS: Record<string, Fault<string>> = { ...PROCESS_FAULTS, "power-loss": DISK_FAULTS["power-loss"], ...MEMORY_FAULTS };

/** The faults a matrix runs only when --faults names them: the memory faults are about configs the modes do not set. */
export const OPT_IN_FAULTS: ReadonlySet<string> = new Set(Object.keys(MEMORY_FAULTS));

/** What a matrix runs without --faults: every named fault but the opt-in ones. */
export const DEFAULT_MATRIX_FAULTS: readonly string[] = Object.keys(NAMED_FAULTS).filter((name) => !OPT_IN_FAULTS.has(name));

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
