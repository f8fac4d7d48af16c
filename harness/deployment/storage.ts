import path from "node:path";
import type { FoundFile } from "./conf-reader.js";
import type { Deployment, Finding, Storage, StorageKind, Survival } from "./deployment.js";

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

/**
 * Kinds that hold the data dir (a ConfigMap or Secret mount does not). "unknown" is a volume of a
 * kind the readers do not model (a Kubernetes `nfs:`, a compose `cluster` mount): it holds the
 * files, and what it survives is unknown.
 */
const DATA_KINDS: ReadonlySet<StorageKind> = new Set(["named-volume", "bind-mount", "tmpfs", "anonymous-volume", "empty-dir", "empty-dir-memory", "pvc", "volume-claim-template", "host-path", "unknown"]);

/** Host directories that are a tmpfs (RAM) on ordinary Linux hosts: /dev/shm, /run and /var/run (a link to /run). */
const HOST_MEMORY_DIRS = ["/dev/shm", "/run", "/var/run"];

/** Why a host path is RAM ("/dev/shm is a tmpfs on the host (RAM)"); undefined for an ordinary path. */
export function hostMemoryOf(hostPath: string): string | undefined {
  if (!hostPath.startsWith("/")) return undefined;
  const dir = HOST_MEMORY_DIRS.find((d) => isUnder(hostPath, d));
  return dir === undefined ? undefined : `${hostPath} is under ${dir}, a tmpfs on the host (RAM)`;
}

/** What a disk on host RAM survives: the directory outlives its containers, not the machine. */
export const HOST_MEMORY_SURVIVAL: Survival = { restart: true, recreate: true, reboot: false };

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
  if (storage.inHostMemory && DATA_KINDS.has(storage.kind)) {
    findings.push({
      id: "storage-in-host-memory",
      severity: "danger",
      message: `${dataDir} is on the ${storage.kind} ${storage.source ?? ""}, which is host RAM (${storage.inHostMemory}): it survives a restart and a redeploy, but a host reboot or a power cut loses every file`.replace("  ", " "),
      fix: platform === "compose" ? "mount a named volume (or a directory on a disk) instead" : "use a PersistentVolumeClaim (or a hostPath on a disk)",
      ...(storage.declaredAt ? { at: storage.declaredAt } : {}),
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

/** The files Redis keeps in its data dir, by name, for `nestedMountFindings`. */
export interface DataFileNames {
  dbfilename: string;
  /** `appenddirname` (7.0 and later); undefined before 7.0, where the AOF is a file in the dir. */
  appenddirname?: string;
  appendfilename: string;
}

/** The names of Redis's files as the directives set them (the last one wins), defaults where unset. */
export function dataFileNamesOf(d: Pick<Deployment, "directives" | "server" | "version">): DataFileNames {
  const last = (name: string, fallback: string): string => d.directives.filter((x) => x.name === name).at(-1)?.args[0] ?? fallback;
  const before7 = d.server === "redis" && d.version !== undefined && Number.parseInt(d.version, 10) < 7;
  return { dbfilename: last("dbfilename", "dump.rdb"), appendfilename: last("appendfilename", "appendonly.aof"), ...(before7 ? {} : { appenddirname: last("appenddirname", "appendonlydir") }) };
}

/** The paths of Redis's files in `dataDir`. */
export function dataPathsIn(dataDir: string, names: DataFileNames): string[] {
  return [names.dbfilename, names.appendfilename, ...(names.appenddirname !== undefined ? [names.appenddirname] : [])].map((n) => path.posix.join(dataDir, n));
}

/**
 * Mounts below the data dir: each holds part of the dir on other storage. One at the AOF
 * directory or at a data file's path is a danger: Redis renames its temp files into place and
 * rename(2) across mount points fails (EXDEV) — measured by the reviewer on Redis 7.0.15 and
 * 8.0.2 with /data/appendonlydir on a tmpfs: "Error moving temp append only file on the final
 * destination: Invalid cross-device link", and the server does not start. Any other directory
 * mounted below it is a warning: it holds no file Redis writes, as read. Files mounted there
 * (a config file) and ConfigMaps are not storage.
 */
export function nestedMountFindings(dataDir: string, storage: Storage, mounts: Mount[], names: DataFileNames): Finding[] {
  const dataPaths = dataPathsIn(dataDir, names);
  const host = storage.kind === "none" ? "the container's own layer" : `the ${storage.kind}${storage.source ? ` ${storage.source}` : ""}${storage.mountPath ? ` at ${storage.mountPath}` : ""}${storage.declaredAt ? ` (${storage.declaredAt})` : ""}`;
  const findings: Finding[] = [];
  for (const m of mounts) {
    const s = m.storage;
    if (!DATA_KINDS.has(s.kind) || path.posix.normalize(s.mountPath) === path.posix.normalize(dataDir) || !isUnder(s.mountPath, dataDir)) continue;
    const file = m.read?.("");
    if (Array.isArray(file) && file.length > 0) continue;
    const other = `the ${s.kind}${s.source ? ` ${s.source}` : ""} at ${s.mountPath}${s.declaredAt ? ` (${s.declaredAt})` : ""}`;
    const holds = dataPaths.find((p) => isUnder(p, s.mountPath));
    // With the data dir at / every mount is below it: only one holding Redis's files is named.
    if (holds === undefined && path.posix.normalize(dataDir) === "/") continue;
    findings.push(
      holds !== undefined
        ? {
            id: "data-dir-split-across-mounts",
            severity: "danger",
            message: `${dataDir} is on ${host}, but ${holds} is on ${other}: Redis renames its temp files into place, which fails across mounts ("Invalid cross-device link"): with the AOF there Redis 7.0 and later refuse to start, and a save there fails`,
            fix: `remove the mount at ${s.mountPath}: keep the whole data dir on one volume`,
            ...(s.declaredAt ? { at: s.declaredAt } : {}),
          }
        : {
            id: "mount-under-data-dir",
            severity: "warning",
            message: `${other} is mounted below the data dir ${dataDir} (on ${host}): none of Redis's files (${dataPaths.join(", ")}) is on it, as read; check nothing else of the data is kept there`,
            fix: `mount it outside ${dataDir}`,
            ...(s.declaredAt ? { at: s.declaredAt } : {}),
          },
    );
  }
  return findings;
}
