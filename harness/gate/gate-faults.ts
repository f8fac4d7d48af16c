import type { DeploymentStoragePlan } from "../cell/deployment-storage.js";
import type { Fault } from "../faults/fault.js";
import { forkUnderMemoryLimit } from "../faults/fork-under-memory-limit.js";
import { namedFault } from "../faults/index.js";
import { memoryPressure } from "../faults/memory-pressure.js";
import { dataMountProof } from "../faults/process-proofs.js";
// Faults whose heal starts the same container again: a deployment restart, whose meaning the storage plan decides.
import { RESTARTS } from "./documented-bound.js";

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

/** A fault as it runs on a deployment's storage, or why it is not run (`lostEverything`: the storage loses every file to it by construction). */
export type FaultAsDeployed = { run: Fault<string> } | { notRun: string; lostEverything: boolean };

/** Of those, the ones whose heal is nothing but the restart, so that a new container can stand in for it. */
const PLAIN_RESTARTS = new Set(["graceful-stop", "sigkill", "short-grace"]);

/**
 * The gate's fault on the deployment's storage (harness/cell/deployment-storage.ts): a restart
 * is the same container or, where the platform restarts a container as a new one, a new
 * container; `recreate-same-volume` is the recreate as deployed, which keeps the files only on
 * storage that outlives its container, and proves it got what the deployment would; a power cut
 * runs on fault-fs only where the storage outlives one; where the deployment's SIGTERM never reaches
 * the server (`stopIsKill`), its stops are SIGKILLs. Pure.
 */
export function faultAsDeployed(fault: Fault<string>, plan: DeploymentStoragePlan, stopIsKill = false): FaultAsDeployed {
  const deployed = onStorage(fault, plan);
  return stopIsKill && "run" in deployed && STOPS.has(fault.name) ? { run: stopAsKill(deployed.run) } : deployed;
}

/** The stops a deployment's own stop decides: where SIGTERM never reaches the server, each ends in SIGKILL. */
const STOPS = new Set(["graceful-stop", "short-grace", "recreate-same-volume"]);

// A `sh -c` without exec, or a stop signal Redis ignores: the grace runs out and SIGKILL ends it, a crash.
function stopAsKill(fault: Fault<string>): Fault<string> {
  return { ...fault, description: `${fault.description}; as deployed, SIGTERM never reaches the server, so the stop ends in SIGKILL`, inject: namedFault("sigkill").inject };
}

function onStorage(fault: Fault<string>, plan: DeploymentStoragePlan): FaultAsDeployed {
  if (plan.unreproducible !== undefined) return { notRun: plan.unreproducible, lostEverything: false };
  const on = `; on ${plan.ranOn}`;
  if (fault.name === "power-loss") {
    if (plan.powerLoss.as === "fault-fs") return { run: { ...fault, description: `${fault.description}; on fault-fs standing in for the deployment's ${plan.kind}` } };
    return { notRun: plan.powerLoss.reason, lostEverything: plan.powerLoss.as === "loses-everything" };
  }
  if (fault.name === "recreate-same-volume") {
    const description = fault.description.replace(/start a new one on the same (named )?volume$/, "start a new one as deployed");
    return {
      run: {
        ...fault,
        description: `${description}: ${plan.recreateText}`,
        async heal(node, ctx) {
          const before = await node.dataMount();
          const recovered = await node.recreate(ctx.volume);
          ctx.prove?.(dataMountProof(before, await recovered.node.dataMount(), plan.survivesRecreate));
          return recovered;
        },
      },
    };
  }
  if (RESTARTS.has(fault.name) && plan.restart.as === "not-reproduced") return { notRun: plan.restart.reason, lostEverything: false };
  if (RESTARTS.has(fault.name) && plan.restart.as === "new-container") {
    if (!PLAIN_RESTARTS.has(fault.name)) return { notRun: `${plan.restart.reason}; this fault's recovery is not reproduced as a new container here`, lostEverything: false };
    return {
      run: {
        ...fault,
        description: `${fault.description.replace(/, then start the same container$/, "")}, then a new container as the platform restarts one (${plan.restart.reason})${on}`,
        heal: (node, ctx) => node.recreate(ctx.volume),
      },
    };
  }
  return { run: { ...fault, description: `${fault.description}${on}` } };
}
