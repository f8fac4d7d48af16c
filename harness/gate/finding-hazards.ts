import { FINDINGS } from "../../configs/findings.js";
import type { ConfExplanation } from "./explain-conf.js";
import type { Hazard } from "./hazards.js";

/**
 * The suite's own recorded findings that bear on this config at this bound: the gate holds the
 * documented bound, and says where this suite measured worse. A warning, not a failure: the
 * documented bound is the promise, the finding is a condition (a slow disk) the user may not have. Pure.
 */
export function findingHazards(explanation: ConfExplanation, maxLossMs: number): Hazard[] {
  const hazards: Hazard[] = [];
  const slowFsync = FINDINGS.slowFsyncPowerLoss;
  const everysec = explanation.mode === "aof-everysec" || explanation.mode === "rdb-aof";
  if (everysec && explanation.powerLoss.maxMs !== null && explanation.powerLoss.maxMs <= maxLossMs) {
    hazards.push({
      id: slowFsync.id,
      kind: "durability",
      severity: "warning",
      message: `on a slow disk this suite measured more than the documented bound under power loss: ${slowFsync.measured}`,
      fix: "on a disk whose fsync can take seconds (network storage, a throttled cloud volume), allow about 4 s with --max-loss, or use appendfsync always",
      failsGate: false,
    });
  }
  return hazards;
}
