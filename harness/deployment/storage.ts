import path from "node:path";
import type { FoundFile } from "./conf-reader.js";
import type { Finding, Storage, StorageKind, Survival } from "./deployment.js";

/** Where a deployment runs: decides what "none" and a restart mean (Kubernetes restarts a container as a new one). */
export type Platform = "compose" | "kubernetes";

/** A mount of the container: the storage it is, and how to read a file under it when its content is in the given files. */
export interface Mount {
  storage: Storage & { mountPath: string };
  /** A file at `relative` below the mount point ("" for the mount itself); undefined when the mount's content cannot be read (a volume). */
  read?: (relative: string) => FoundFile[] | "missing";
  /** The files directly in a directory below the mount point, for wildcard includes. */
  list?: (relativeDir: string) => FoundFile[];
  /** What to tell the user when a file under it is missing: "pass the file too: gate compose.yml redis.conf". */
  missing?: (relative: string) => string;
}

/** What each kind of storage survives, per platform; undefined when unknown. */
export function survivalOf(kind: StorageKind, platform: Platform): Survival | undefined {
  switch (kind) {
    case "named-volume":
    case "bind-mount":
    case "pvc":
    case "volume-claim-template":
    case "host-path":
      return { restart: true, recreate: true, reboot: true };
    case "tmpfs":
      return { restart: false, recreate: false, reboot: false };
    case "anonymous-volume":
      return { restart: true, recreate: false, reboot: true };
    case "empty-dir":
    case "empty-dir-memory":
      return { restart: true, recreate: false, reboot: false };
    case "none":
      return platform === "compose" ? { restart: true, recreate: false, reboot: true } : { restart: false, recreate: false, reboot: false };
    case "config":
    case "unknown":
      return undefined;
  }
}

/** Whether `p` is `dir` or below it (path components, not string prefixes). */
export function isUnder(p: string, dir: string): boolean {
  const a = path.posix.normalize(p);
  const b = path.posix.normalize(dir).replace(/\/$/, "") || "/";
  return a === b || a.startsWith(b === "/" ? "/" : `${b}/`);
}

/** The mount covering a container path: the one with the longest mount point. */
export function mountFor(p: string, mounts: Mount[]): Mount | undefined {
  return mounts.filter((m) => isUnder(p, m.storage.mountPath)).sort((a, b) => b.storage.mountPath.length - a.storage.mountPath.length)[0];
}

/** Kinds that hold the data dir (a ConfigMap or Secret mount does not). */
const DATA_KINDS: ReadonlySet<StorageKind> = new Set(["named-volume", "bind-mount", "tmpfs", "anonymous-volume", "empty-dir", "empty-dir-memory", "pvc", "volume-claim-template", "host-path"]);

/**
 * The storage under the data dir: the mount covering it, else the image's VOLUME when it covers
 * it (an anonymous volume), else the container's own layer ("none"). `onStorage` is whether a
 * mount or volume holds the dir at all.
 */
export function storageOf(dataDir: string, mounts: Mount[], imageVolume: string | null | undefined, imageSource: string, platform: Platform): { storage: Storage; onStorage: boolean } {
  const mount = mountFor(dataDir, mounts.filter((m) => DATA_KINDS.has(m.storage.kind)));
  if (mount) return { storage: mount.storage, onStorage: true };
  if (imageVolume && isUnder(dataDir, imageVolume) && platform === "compose") {
    return {
      storage: {
        kind: "anonymous-volume",
        mountPath: imageVolume,
        declaredAt: `the image's VOLUME ${imageVolume} (${imageSource})`,
        survives: survivalOf("anonymous-volume", platform),
        note: "Docker creates an unnamed volume for the image's VOLUME line: kept across restarts and carried over when `docker compose up` recreates the container, but `docker compose down` + `up` (or `docker run` again) starts on a new, empty one",
      },
      onStorage: true,
    };
  }
  return {
    storage: {
      kind: "none",
      survives: survivalOf("none", platform),
      note:
        platform === "compose"
          ? "nothing is mounted there: the files live in the container's writable layer and are gone when the container is removed"
          : "nothing is mounted there: the files live in the container's writable layer, and Kubernetes starts every restarted container (a crash, an OOM kill, a failed liveness probe) with a fresh one",
    },
    onStorage: false,
  };
}

/** What the storage means for durability, as findings with the line to change. */
export function storageFindings(dataDir: string, storage: Storage, mounts: Mount[], platform: Platform, dirAt: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const volumes = mounts.filter((m) => DATA_KINDS.has(m.storage.kind) && m.storage.kind !== "tmpfs" && m.storage.kind !== "empty-dir-memory");
  const at = dirAt ?? storage.declaredAt;
  if (storage.readOnly && DATA_KINDS.has(storage.kind)) {
    findings.push({
      id: "storage-read-only",
      severity: "danger",
      message: `${dataDir} is on a read-only mount (${storage.readOnly}): Redis cannot write dump.rdb or the AOF there. With appendonly yes it refuses to start; otherwise every background save fails and, with stop-writes-on-bgsave-error yes, writes are refused with MISCONF`,
      fix: platform === "compose" ? "drop `:ro` (or `read_only: true`) from the data volume; mount only the config file read-only" : "drop `readOnly: true` from the data volumeMount (and the claim); mount only the ConfigMap read-only",
      at: storage.readOnly,
    });
  }
  switch (storage.kind) {
    case "none": {
      const elsewhere = volumes.filter((m) => !isUnder(dataDir, m.storage.mountPath));
      if (elsewhere.length > 0) {
        const other = elsewhere[0] as Mount;
        findings.push({
          id: "dir-not-on-storage",
          severity: "danger",
          message: `Redis writes to ${dataDir}, but the ${other.storage.kind} ${other.storage.source ?? ""} is mounted at ${other.storage.mountPath}: the files are not on it`.replace("  ", " "),
          fix: `set \`dir ${other.storage.mountPath}\`, or mount the volume at ${dataDir}`,
          ...(at ? { at } : {}),
        });
      } else {
        findings.push({
          id: "no-storage",
          severity: "danger",
          message:
            platform === "compose"
              ? `nothing is mounted at ${dataDir}: the data lives in the container and \`docker compose down\` + \`up\` (any new container) starts empty`
              : `nothing is mounted at ${dataDir}: any container restart (a crash, an OOM kill, a failed liveness probe) starts empty`,
          fix: platform === "compose" ? `mount a named volume there: \`volumes: [redis-data:${dataDir}]\` with a top-level \`volumes: {redis-data: {}}\`` : `mount a PersistentVolumeClaim (a StatefulSet's volumeClaimTemplates) at ${dataDir}`,
          ...(at ? { at } : {}),
        });
      }
      break;
    }
    case "anonymous-volume":
      findings.push({
        id: "anonymous-volume-only",
        severity: "danger",
        message: `${dataDir} is only on an anonymous volume (${storage.declaredAt ?? "compose"}): kept across restarts, but \`docker compose down\` + \`up\` starts on a new, empty one`,
        fix: `give it a name: \`volumes: [redis-data:${storage.mountPath ?? dataDir}]\` with a top-level \`volumes: {redis-data: {}}\``,
        ...(storage.declaredAt ? { at: storage.declaredAt } : {}),
      });
      break;
    case "tmpfs":
    case "empty-dir-memory":
      findings.push({
        id: "storage-in-memory",
        severity: "danger",
        message: `${dataDir} is on ${storage.kind === "tmpfs" ? "a tmpfs" : "an emptyDir with medium: Memory"} (RAM): ${storage.kind === "tmpfs" ? "every stop of the container" : "deleting the pod"} or a reboot loses every file`,
        fix: platform === "compose" ? "mount a named volume instead of the tmpfs" : "use a PersistentVolumeClaim instead of the memory emptyDir",
        ...(storage.declaredAt ? { at: storage.declaredAt } : {}),
      });
      break;
    case "empty-dir":
      findings.push({
        id: "empty-dir",
        severity: "danger",
        message: `${dataDir} is on an emptyDir: it survives container restarts but is deleted with the pod (a rollout, an eviction, a node drain)`,
        fix: "use a PersistentVolumeClaim (a StatefulSet's volumeClaimTemplates)",
        ...(storage.declaredAt ? { at: storage.declaredAt } : {}),
      });
      break;
    case "host-path":
      findings.push({
        id: "host-path",
        severity: "warning",
        message: `${dataDir} is a hostPath: the data stays on one node, and a pod scheduled elsewhere starts empty`,
        fix: "use a PersistentVolumeClaim",
        ...(storage.declaredAt ? { at: storage.declaredAt } : {}),
      });
      break;
    default:
      break;
  }
  return findings;
}
