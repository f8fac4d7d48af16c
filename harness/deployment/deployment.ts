/**
 * One model of a Redis or Valkey deployment, whatever it was written as (a redis.conf, a command
 * line, a compose file, Kubernetes manifests). Readers build it; the gate and the matrix take it.
 * Pure data: nothing here talks to Docker.
 */

/** Which server a deployment runs; "unknown" when neither the image nor the command says. */
export type ServerKind = "redis" | "valkey" | "unknown";

/** The image families whose start-up the readers know, because each decides the command line, paths and env handling. */
export type ImageFamily = "official-redis" | "official-valkey" | "bitnami" | "redis-stack" | "offline-build" | "unknown";

/** What an image reference says: repository, tag, digest, the server and version the tag names, and what it leaves unknown. */
export interface ImageRef {
  /** As written: "redis:7.2-alpine", "docker.io/valkey/valkey:8-bookworm@sha256:...". */
  reference: string;
  /** Without registry, tag or digest, and without Docker Hub's "library/": "redis", "bitnami/redis", "valkey/valkey". */
  repository: string;
  /** The registry host when one is written ("ghcr.io"); undefined means Docker Hub. */
  registry?: string;
  /** The tag as written; "latest" when the reference has neither tag nor digest. */
  tag?: string;
  digest?: string;
  family: ImageFamily;
  server: ServerKind;
  /** The Redis or Valkey version the tag names, as precise as it names it: "7", "7.2", "7.2.4"; undefined when the tag does not say. */
  version?: string;
  /** Sentences saying what the reference leaves unknown ("no tag: `latest`, whichever release that is when pulled"). */
  unknown: string[];
}

/** Where a directive came from, so that every finding can point at the line a user wrote. */
export type DirectiveOrigin =
  /** A line of a config file; `file` is the path as given (host side), `containerPath` where Redis reads it. */
  | { kind: "file"; file: string; line: number; containerPath?: string; includedFrom?: string }
  /** A command-line flag: `index` is its position in the server's argv (argv[0] is redis-server). */
  | { kind: "flag"; index: number; text: string; source?: string }
  /** Set by the image's own start scripts (Bitnami's), not by anything the user wrote. */
  | { kind: "image"; what: string }
  /** Set by the image's start scripts from an environment variable (Bitnami's REDIS_AOF_ENABLED). */
  | { kind: "env"; variable: string; source?: string };

/** One directive as Redis applies it: name lower-cased, arguments as Redis splits them, where it came from. */
export interface DeploymentDirective {
  name: string;
  args: string[];
  /** The line as Redis reads it ("appendonly yes"); for flags, the option line main() builds. */
  text: string;
  origin: DirectiveOrigin;
}

/** How the data directory is stored. */
export type StorageKind =
  | "named-volume"
  | "bind-mount"
  | "tmpfs"
  /** A volume with no name: compose `- /data`, or Docker's volume for an image's VOLUME line. */
  | "anonymous-volume"
  | "empty-dir"
  /** emptyDir with `medium: Memory`: RAM, gone with the pod. */
  | "empty-dir-memory"
  | "pvc"
  | "volume-claim-template"
  | "host-path"
  /** A ConfigMap, Secret or compose config/secret: read-only files, never the data. */
  | "config"
  /** Nothing mounted: the container's own writable layer. */
  | "none"
  | "unknown";

/** Which ordinary events the storage survives; undefined members are unknown. */
export interface Survival {
  /** The same container restarted (compose restart, a crash under `restart:`; in Kubernetes a container restart in the same pod). */
  restart: boolean;
  /** A new container: compose `down` + `up`, a pod deleted and created again. */
  recreate: boolean;
  /** The host rebooting (tmpfs and RAM-backed storage lose everything). */
  reboot: boolean;
}

/** The storage under the data directory, and what it survives. */
export interface Storage {
  kind: StorageKind;
  /** Mount point inside the container ("/data"); undefined when nothing is mounted. */
  mountPath?: string;
  /** Volume name, host path, claim name. */
  source?: string;
  /** Where it is declared: "compose.yml:14", "image VOLUME /data (docker-library/redis Dockerfile)". */
  declaredAt?: string;
  /** Undefined when unknown (a bare config file names no storage). */
  survives?: Survival;
  /** Where the mount is declared read-only (`:ro`, `read_only: true`, `readOnly: true`); undefined when it is writable. */
  readOnly?: string;
  /** Why this disk is RAM on the host ("/dev/shm is a tmpfs on the host"): it survives a restart and a recreate, not a reboot or a power cut. */
  inHostMemory?: string;
  note?: string;
}

/** Where Redis writes dump.rdb and the AOF, and whether that is on the storage. */
export interface DataDir {
  /** Absolute path inside the container, resolved as Redis resolves `dir` (it chdir()s). */
  path: string;
  /** The `dir` directive that set it; undefined when Redis's working directory applies. */
  origin?: DirectiveOrigin;
  /** Whether `path` is on `storage` (on a mount covering it); "unknown" when the storage is. */
  onStorage: boolean | "unknown";
}

/** How long a stop waits between SIGTERM and SIGKILL. Milliseconds. */
export interface StopGrace {
  ms: number;
  /** "compose stop_grace_period (compose.yml:9)", "compose default", "Kubernetes default", "--grace". */
  source: string;
}

/** What runs as PID 1, the process `docker stop` and the kubelet send SIGTERM to. */
export interface Pid1 {
  /** "redis-server", "valkey-server", "sh -c", "tini", "unknown". */
  process: string;
  /** Whether SIGTERM reaches the server: it does, it may (the shell may exec its only command), it never does, or unknown. */
  sigterm: "reaches-server" | "maybe" | "never" | "unknown";
  reason: string;
}

/** A memory limit on the container, in bytes, for the fork-under-memory-limit fault. */
export interface MemoryLimit {
  bytes: number;
  /** As written: "1g", "512Mi". */
  text: string;
  source: string;
}

/** Something the reader saw that matters for durability, or that it could not follow. */
export interface Finding {
  id: string;
  severity: "danger" | "warning" | "info";
  message: string;
  fix?: string;
  /** "compose.yml:12", "redis.conf:3", "flag 2". */
  at?: string;
}

/** What a deployment was read from. */
export type DeploymentKind = "conf" | "command" | "compose" | "kubernetes";

/** One Redis or Valkey server as deployed: what runs, with which settings, on which storage, stopped how. */
export interface Deployment {
  kind: DeploymentKind;
  /** Service name (compose), "Kind/name container" (Kubernetes), the file name (conf), "command line". */
  name: string;
  /** The file it was read from, as given. */
  file?: string;
  image?: ImageRef;
  server: ServerKind;
  /** The version the image tag names ("7.2"); undefined when unknown. */
  version?: string;
  /** The server's argv as exec'd, argv[0] = "redis-server"; >1 element means a config file or flags were given (6.0 then drops its default save points). */
  argv: string[];
  /** The config file redis-server was given: its container path and where its text was read. */
  configFile?: { path: string; readFrom: string };
  /** Every directive in the order Redis applies it: the config file (includes inlined where they stand), then the flags. */
  directives: DeploymentDirective[];
  /** False when some settings could not be read (see `unreadable`): a verdict on `directives` alone may be wrong. */
  complete: boolean;
  /** The directory redis-server starts in: relative `dir` and `include` resolve against it. */
  workingDir: string;
  dataDir: DataDir;
  storage: Storage;
  /** Every mount of the container that can hold data or config (volumes, binds, tmpfs, emptyDirs, claims, ConfigMaps). */
  mounts: Storage[];
  stopGrace: StopGrace;
  pid1: Pid1;
  memoryLimit?: MemoryLimit;
  /** Environment of the container as far as it is known (compose `environment`, Kubernetes `env`). */
  env: Record<string, string>;
  findings: Finding[];
  /** What could not be read, in sentences that name it. */
  unreadable: string[];
}

/** A source file as given on the command line: its path and text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** How to read: the CLI's --env, --grace and --service, and where to look for files not given. */
export interface ReadOptions {
  /** Variables for compose's `${VAR}` interpolation (the CLI fills it from --env KEY=VALUE). */
  env?: Record<string, string>;
  /** Overrides every deployment's stop grace (--grace), in ms. */
  graceMs?: number;
  /** Only this compose service (or Kubernetes workload or container name). */
  service?: string;
  /** Reads a file that was not given (a mounted redis.conf next to the compose file); undefined when it does not exist. Default: the disk. */
  readFile?: (path: string) => string | undefined;
  /** The file names in a directory not given (for `include /etc/redis/conf.d/*.conf` on a bind mount); undefined when it does not exist. Default: the disk. */
  listDir?: (path: string) => string[] | undefined;
  /** The image a bare config file or command line runs on (the gate's --image); decides server and version. */
  image?: string;
}

/** "redis.conf:12", "flag 3 `--appendonly yes` (compose.yml:14)", "REDIS_AOF_ENABLED (Bitnami)". */
export function describeOrigin(origin: DirectiveOrigin): string {
  switch (origin.kind) {
    case "file":
      return `${origin.file}:${origin.line}${origin.includedFrom ? ` (included from ${origin.includedFrom})` : ""}`;
    case "flag":
      return `flag ${origin.index} \`${origin.text}\`${origin.source ? ` (${origin.source})` : ""}`;
    case "image":
      return origin.what;
    case "env":
      return `${origin.variable}${origin.source ? ` (${origin.source})` : ""}`;
  }
}
