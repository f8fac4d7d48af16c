import type { Fault } from "../faults/fault.js";
import { forkUnderMemoryLimit } from "../faults/fork-under-memory-limit.js";
import { namedFault } from "../faults/index.js";
import { memoryPressure } from "../faults/memory-pressure.js";

/**
 * The faults a gate runs unless told otherwise: a deploy (stop with the grace), a crash, a redeploy
 * on the same volume, and a power cut: a declared bound means little if it holds only while the
 * kernel's page cache survives. Power loss runs where the fault filesystem works.
 */
export const DEFAULT_GATE_FAULTS = ["graceful-stop", "sigkill", "recreate-same-volume", "power-loss"] as const;

/** The container memory limit a deployment declares (compose mem_limit, Kubernetes resources.limits.memory). */
export interface GateMemoryLimit {
  bytes: number;
  /** Where it was written, for the wording: "1536m (compose.yml mem_limit)". */
  text: string;
}

/**
 * The fault of that name as the gate runs it: the stops use the deployment's declared grace
 * instead of the suite's generous 30 s, so a grace too short for the final save shows as loss;
 * memory pressure needs the config's own `maxmemory`; a fork runs under the deployment's memory limit.
 */
export function gateFault(name: string, graceMs: number, memoryLimit?: GateMemoryLimit): Fault<string> {
  if (name === "memory-pressure") return memoryPressure({ requireConfiguredLimit: true });
  if (name === "fork-under-memory-limit") return forkUnderMemoryLimit(memoryLimit?.bytes, memoryLimit ? `the deployment's ${memoryLimit.text}` : undefined);
  const fault = namedFault(name);
  const grace = `${Math.ceil(graceMs / 1000)} s`;
  // Whether the stop ended cleanly (0) or in SIGKILL (137) is an outcome to measure here, not a claim to prove.
  const stopWithGrace: Fault<string>["inject"] = async (node, ctx) => {
    const { exitCode } = await node.stop(graceMs);
    ctx.measure?.("stopExitCode", exitCode);
  };
  switch (fault.name) {
    case "graceful-stop":
      return { ...fault, description: `SIGTERM with the declared ${grace} grace, then start the same container`, inject: stopWithGrace };
    case "recreate-same-volume":
      return { ...fault, description: `SIGTERM with the declared ${grace} grace, remove the container, start a new one on the same volume`, inject: stopWithGrace };
    default:
      return fault;
  }
}
