import type { DeploymentFacts } from "./documented-bound.js";
import type { EffectiveConf } from "./effective-conf.js";
import { dropsDefaultSavePoints, effectiveConf, onePairPerSaveLine } from "./effective-conf.js";
import type { ConfExplanation } from "./explain-conf.js";
import { explainConf } from "./explain-conf.js";
import { GateConfigError } from "./gate-config-error.js";
import { isVolumeDir } from "./hazards.js";
import type { ParsedConf } from "./parse-conf.js";
import { parseConf } from "./parse-conf.js";
import type { GateDeploymentInput } from "./run-gate.js";
import type { ImageServer } from "./server-version.js";
import { serverVersionText } from "./server-version.js";

/** A config as the gate reads it on one server: its lines, its effective settings and what Redis promises for them. */
export interface GateSettings {
  parsed: ParsedConf;
  conf: EffectiveConf;
  explanation: ConfExplanation;
}

/**
 * Reads a config's text as the gate and `matrix --deployment` both do: the server's version decides
 * how a quoted multi-value argument reads (split since Redis 7.0.1), before 7.0 a `save` line with
 * more than one pair is skipped, and before 6.2 a config file drops the built-in save points. Throws GateConfigError (named `origin`) on lines the gate cannot follow. Pure.
 */
export function readGateSettings(text: string, origin: string, server: ImageServer): GateSettings {
  const parsed = parseConf(text, serverVersionText(server));
  if (parsed.unsupported.length > 0) throw new GateConfigError(origin, parsed.unsupported, "gate");
  const conf = effectiveConf(parsed, { dropsDefaultSavePoints: dropsDefaultSavePoints(server.flavor, server.version), onePairPerSaveLine: onePairPerSaveLine(server.flavor, server.version) });
  return { parsed, conf, explanation: explainConf(conf) };
}

/**
 * The facts documentedBoundFor rests on. For a deployment they come from its files (storage, stop,
 * memory limit); for a bare redis.conf the harness's volume is at `dir` only when `dir` is /data.
 * `shutdownMs` is the measured shutdown, undefined when not measured: a stop then ends in SIGKILL only
 * when SIGTERM never reaches the server. Pure.
 */
export function gateFacts(conf: EffectiveConf, options: { graceMs: number; shutdownMs?: number; deployment?: GateDeploymentInput }): DeploymentFacts {
  const dep = options.deployment;
  const outlasts = options.shutdownMs !== undefined && options.shutdownMs > options.graceMs;
  const memory = { maxmemoryBytes: conf.maxmemory.value, policy: conf.maxmemoryPolicy.value, ...(dep?.memoryLimit ? { limit: dep.memoryLimit } : {}) };
  const saveMs = options.shutdownMs !== undefined ? { saveMs: options.shutdownMs } : {};
  if (!dep) return { shutdownOutlastsGrace: outlasts, dirOnVolume: isVolumeDir(conf.dir.value), dir: conf.dir.value, memory, ...saveMs };
  return {
    shutdownOutlastsGrace: outlasts || dep.stopIsKill,
    dirOnVolume: dep.dataSurvivesRecreate,
    restartKeepsFiles: dep.storagePlan.restartKeepsFiles,
    rebootKeepsFiles: dep.storagePlan.powerLoss.as !== "loses-everything",
    dir: conf.dir.value,
    storageText: dep.dataDirText,
    memory,
    ...saveMs,
  };
}
