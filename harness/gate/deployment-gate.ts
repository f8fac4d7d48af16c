import type { Deployment, Finding } from "../deployment/index.js";
import { renderConf } from "../deployment/index.js";
import { deploymentStoragePlan } from "../cell/deployment-storage.js";
import type { Hazard } from "./hazards.js";
import { isVolumeDir } from "./hazards.js";
import type { GateDeploymentInput, GateDeploymentSummary } from "./run-gate.js";

/**
 * Findings about the storage that lose everything on a new container, or on every start, or keep
 * Redis from starting: no bound holds with them, so they fail the gate. (`storage-in-host-memory`
 * is not one: a new container finds the files; the power cut, held to "everything", fails it.)
 */
const STORAGE_LOSES_ALL = new Set([
  "no-storage",
  "dir-not-on-storage",
  "anonymous-volume-only",
  "storage-in-memory",
  "empty-dir",
  "storage-read-only",
  "data-dir-split-across-mounts",
  "start-empties-data-dir",
  "init-container-empties-data-dir",
]);

/** Findings that mean the settings Redis starts with are not the ones read: whatever the gate measured was another config, so it fails. */
const SETTINGS_NOT_THE_ONES_READ = new Set(["start-rewrites-config", "start-command-branches", "unknown-server-setting"]);

/** Whether a new container (compose down + up, a pod created again) finds the data dir's files. Pure. */
export function dataSurvivesRecreate(d: Deployment): boolean {
  // A bare command line names no storage: as for a redis.conf, the image's volume is /data.
  if (d.storage.readOnly !== undefined && d.dataDir.onStorage === true) return false;
  // A mounted volume of a kind the readers do not model (an `nfs:` volume): what it survives is unknown, not "nothing"; the storage plan reports it as not reproduced.
  if (d.storage.kind === "unknown") return d.storage.mountPath !== undefined ? d.dataDir.onStorage === true : d.dataDir.onStorage !== false && isVolumeDir(d.dataDir.path);
  return d.dataDir.onStorage === true && d.storage.survives?.recreate === true;
}

/** The deployment's own hazards: its findings (storage, PID 1, stop signal) and what could not be read. Pure. */
export function deploymentHazards(d: Deployment): Hazard[] {
  const hazards: Hazard[] = d.findings.filter((f) => f.severity !== "info").map((f) => findingHazard(f, d.file));
  if (!dataSurvivesRecreate(d) && !hazards.some((h) => STORAGE_LOSES_ALL.has(h.id))) {
    hazards.push({
      id: "no-storage",
      kind: "durability",
      severity: "danger",
      message: `Redis writes to ${d.dataDir.path}, on ${d.storage.kind === "unknown" ? "no volume this gate knows of" : d.storage.kind}: a new container starts empty`,
      fix: `mount a named volume (compose) or a PersistentVolumeClaim (Kubernetes) at ${d.dataDir.path}`,
      ...(d.file !== undefined ? { at: d.file } : {}),
      failsGate: true,
    });
  }
  for (const what of d.unreadable.filter((u) => !/names the .* line, not a release|no tag|^no image given/.test(u))) {
    hazards.push({ id: "deployment-unreadable", kind: "durability", severity: "warning", message: `not read: ${what}`, fix: "check it by hand, or write it where the gate can read it", failsGate: false });
  }
  return hazards;
}

function findingHazard(f: Finding, file: string | undefined): Hazard {
  // Only a place a user can open ("compose.yml:12"); "the image's VOLUME /data" is in the message already.
  const at = f.at !== undefined && /:\d+/.test(f.at) ? f.at : file;
  return {
    id: f.id,
    kind: "durability",
    severity: f.severity === "danger" ? "danger" : "warning",
    ...(at !== undefined ? { at } : {}),
    message: f.message,
    fix: f.fix ?? "see the message",
    failsGate: STORAGE_LOSES_ALL.has(f.id) || SETTINGS_NOT_THE_ONES_READ.has(f.id),
  };
}

/** Everything runGate needs from one deployment; `imageNote` says when the run is not on the image it names. Pure. */
export function gateInputOf(d: Deployment, imageNote?: string): GateDeploymentInput {
  const { text, origins } = renderConf(d);
  const storage = d.storage;
  const storagePlan = deploymentStoragePlan(d);
  const summary: GateDeploymentSummary = {
    kind: d.kind,
    name: d.name,
    ...(d.file !== undefined ? { file: d.file } : {}),
    ...(d.image ? { image: d.image.reference } : {}),
    server: d.server,
    ...(d.version !== undefined ? { version: d.version } : {}),
    dataDir: d.dataDir.path,
    storage: {
      kind: storage.kind,
      ...(storage.mountPath !== undefined ? { mountPath: storage.mountPath } : {}),
      ...(storage.source !== undefined ? { source: storage.source } : {}),
      ...(storage.declaredAt !== undefined ? { declaredAt: storage.declaredAt } : {}),
      ...(storage.readOnly !== undefined ? { readOnly: storage.readOnly } : {}),
      ranOn: storagePlan.ranOn,
    },
    stopGrace: { ms: d.stopGrace.ms, source: d.stopGrace.source },
    pid1: { process: d.pid1.process, sigterm: d.pid1.sigterm, reason: d.pid1.reason },
    ...(imageNote !== undefined ? { imageNote } : {}),
  };
  return {
    text,
    origins,
    hazards: deploymentHazards(d),
    dataSurvivesRecreate: dataSurvivesRecreate(d),
    dataDirText: `${d.dataDir.path} (${storage.kind === "none" ? "no volume" : storage.kind}${storage.source ? ` ${storage.source}` : ""})`,
    stopIsKill: d.pid1.sigterm === "never" || d.findings.some((f) => f.id === "stop-signal-kill"),
    summary,
    storagePlan,
    ...(d.memoryLimit ? { memoryLimit: { bytes: d.memoryLimit.bytes, text: `${d.memoryLimit.text}, ${d.memoryLimit.source}` } } : {}),
  };
}

/** How a deployment is called in the gate's output: "redis (compose.yml)". */
export function deploymentLabel(d: Deployment): string {
  return d.file !== undefined && d.file !== d.name ? `${d.name} (${d.file})` : d.name;
}
