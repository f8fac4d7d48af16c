import type { Deployment, StorageKind } from "../deployment/index.js";
import { anonymousVolumeStorage, containerLayerStorage, namedVolumeStorage, tmpfsStorage } from "./storage.js";
import type { CellStorage } from "./storage.js";

/**
 * A deployment's storage as the cell reproduces it at /data: the path is always /data (the
 * runtime hard-codes it), the kind of storage under it is the deployment's. Pure, but for
 * `cellStorageOf`, which only names the CellStorage that creates it.
 */

/** What the cell mounts at /data: a fresh labelled named volume, a Docker tmpfs, a labelled anonymous volume, or nothing (the container's own layer). */
export type CellMount = "named-volume" | "tmpfs" | "anonymous-volume" | "none";

/** How the deployment's container restart (a crash under `restart:`, the kubelet restarting a container) is run here. */
export type RestartAs =
  | { as: "same-container" }
  /** Kubernetes starts a restarted container as a new one: a storage that is the container's own is gone. */
  | { as: "new-container"; reason: string }
  | { as: "not-reproduced"; reason: string };

/** How a power cut is held to the storage: run on fault-fs (a disk that keeps what was fsynced), or lost by construction (RAM), or not reproducible. */
export type PowerLossAs = { as: "fault-fs" } | { as: "loses-everything"; reason: string } | { as: "not-reproduced"; reason: string };

/** The plan for running the gate's faults on a deployment's storage. */
export interface DeploymentStoragePlan {
  /** The deployment's storage kind, as the report names it. */
  kind: StorageKind;
  /** What the cell mounts at /data; undefined when this storage cannot be reproduced here (`unreproducible` says why). */
  mount?: CellMount;
  /** Why no fault can run on this storage here. */
  unreproducible?: string;
  /** A new container finds the files (compose down + up, a new pod). */
  survivesRecreate: boolean;
  restart: RestartAs;
  /** A restart of the deployment's container finds the files (false on a tmpfs, or where a restart is a new container). */
  restartKeepsFiles: boolean;
  powerLoss: PowerLossAs;
  /** What the faults run on, for the report: "a Docker tmpfs at /data (the deployment's tmpfs)". */
  ranOn: string;
  /** How a recreate as deployed reads: "on the same named volume", "on a new tmpfs: ...". */
  recreateText: string;
}

// Measured here (Docker 20.10.24): a --tmpfs /data is empty again after `docker restart`, after
// kill + start and after stop + start of the same container. Every other cell mount is kept.
const SAME_CONTAINER_RESTART_KEEPS: Record<CellMount, boolean> = { "named-volume": true, "anonymous-volume": true, none: true, tmpfs: false };

const MOUNT_OF: Partial<Record<StorageKind, CellMount>> = {
  "named-volume": "named-volume",
  "bind-mount": "named-volume",
  pvc: "named-volume",
  "volume-claim-template": "named-volume",
  "host-path": "named-volume",
  tmpfs: "tmpfs",
  "empty-dir-memory": "tmpfs",
  "anonymous-volume": "anonymous-volume",
  "empty-dir": "anonymous-volume",
  none: "none",
};

const RAN_ON: Record<CellMount, string> = {
  "named-volume": "a fresh named volume at /data",
  tmpfs: "a Docker tmpfs at /data",
  "anonymous-volume": "an anonymous volume at /data, which a new container does not get",
  none: "nothing mounted at /data (the container's own layer, or the image's VOLUME: either is the container's own)",
};

const RECREATE_TEXT: Record<CellMount, string> = {
  "named-volume": "on the same named volume",
  tmpfs: "on a new tmpfs: a tmpfs does not outlive its container",
  "anonymous-volume": "on a new anonymous volume: `docker compose down` + `up` (or a new pod) does not carry it over",
  none: "with a fresh container layer: nothing is mounted at the data dir",
};

/** The deployment's storage mapped to what the cell mounts at /data and how restarts, recreates and power cuts run on it. Pure. */
export function deploymentStoragePlan(d: Pick<Deployment, "kind" | "storage" | "dataDir">): DeploymentStoragePlan {
  const { storage } = d;
  const source = storage.source !== undefined ? (storage.kind === "unknown" ? ` (${storage.source})` : ` ${storage.source}`) : "";
  const named = storage.kind === "none" ? "no volume" : `${storage.kind === "unknown" ? "a volume of a kind this gate does not know" : storage.kind}${source}`;
  const unreproducible = (reason: string): DeploymentStoragePlan => ({
    kind: storage.kind,
    unreproducible: reason,
    survivesRecreate: false,
    restart: { as: "not-reproduced", reason },
    // Not known, so not claimed: the faults are not run, and the documented bound stays the settings'.
    restartKeepsFiles: storage.survives?.restart ?? true,
    powerLoss: { as: "not-reproduced", reason },
    ranOn: `nothing: ${reason}`,
    recreateText: `not run: ${reason}`,
  });
  if (storage.readOnly !== undefined && d.dataDir.onStorage === true) return unreproducible(`the data dir is on a read-only mount (${storage.readOnly}), which Redis cannot write: not reproduced here`);
  const mount = mountOf(d);
  if (mount === undefined) return unreproducible(`the data dir is on ${named}${storage.note ? ` (${storage.note})` : ""}: what it survives is not known, so it is not reproduced here`);
  const keepsOnRestart = SAME_CONTAINER_RESTART_KEEPS[mount];
  const deploymentKeeps = storage.survives?.restart ?? keepsOnRestart;
  const restart: RestartAs =
    deploymentKeeps === keepsOnRestart
      ? { as: "same-container" }
      : deploymentKeeps
        ? { as: "not-reproduced", reason: `${named} outlives a container restart, ${RAN_ON[mount]} does not (measured: Docker empties a tmpfs when the same container starts again)` }
        : { as: "new-container", reason: `${named}: a restarted container is a new one (Kubernetes), so its own layer is gone` };
  const reboot = storage.survives?.reboot;
  const powerLoss: PowerLossAs =
    reboot === false
      ? { as: "loses-everything", reason: `the deployment's ${named} does not survive the machine losing power (${mount === "tmpfs" || storage.inHostMemory !== undefined ? "it is RAM" : "it goes with the pod or container"}): every file is lost by construction` }
      : { as: "fault-fs" };
  return {
    kind: storage.kind,
    mount,
    survivesRecreate: mount === "named-volume",
    restart,
    restartKeepsFiles: deploymentKeeps,
    powerLoss,
    ranOn: `${RAN_ON[mount]} (the deployment's ${named}${d.dataDir.path !== "/data" ? ` at ${d.dataDir.path}` : ""})`,
    recreateText: RECREATE_TEXT[mount],
  };
}

// A bare config or command line names no storage: as for a redis.conf, the image's volume at /data is the one.
function mountOf(d: Pick<Deployment, "storage" | "dataDir">): CellMount | undefined {
  if (d.storage.kind === "unknown") {
    if (d.storage.mountPath !== undefined) return undefined;
    return d.dataDir.onStorage !== false && isDataPath(d.dataDir.path) ? "named-volume" : "none";
  }
  // Files off every mount live in the container's layer, whatever else is mounted.
  if (d.dataDir.onStorage === false) return "none";
  return MOUNT_OF[d.storage.kind];
}

function isDataPath(p: string): boolean {
  return p === "/data" || p.startsWith("/data/");
}

/** The CellStorage that creates the plan's mount for one cell; undefined when the plan cannot be reproduced. */
export function cellStorageOf(plan: DeploymentStoragePlan): CellStorage | undefined {
  switch (plan.mount) {
    case "named-volume":
      return namedVolumeStorage;
    case "tmpfs":
      return tmpfsStorage;
    case "anonymous-volume":
      return anonymousVolumeStorage;
    case "none":
      return containerLayerStorage;
    case undefined:
      return undefined;
  }
}
