import path from "node:path";
import { bitnamiStart } from "./bitnami.js";
import type { FileFinder, FoundFile } from "./conf-reader.js";
import { dataDirOf, expandIncludes, globToRegExp, readConfText } from "./conf-reader.js";
import { DeploymentError } from "./deployment-error.js";
import type { Deployment, DeploymentDirective, DeploymentKind, Finding, ImageRef, MemoryLimit, StopGrace } from "./deployment.js";
import { describeOrigin } from "./deployment.js";
import { versionForParsing } from "./image-ref.js";
import { imageTraits } from "./image-traits.js";
import type { ScriptFinder } from "./launch.js";
import { followLaunch } from "./launch.js";
import { flagText, readServerArgv } from "./server-argv.js";
import type { Mount, Platform } from "./storage.js";
import { commandsBeforeFindings, serverCwd } from "./start-commands.js";
import { dataFileNamesOf, mountFor, nestedMountFindings, storageFindings, storageOf } from "./storage.js";

/** A container as a compose service or a pod spec declares it, with its overrides already read. */
export interface ContainerSpec {
  platform: Platform;
  name: string;
  /** The file it is declared in, as given. */
  file: string;
  image?: ImageRef;
  /** compose `entrypoint` / Kubernetes `command`: replaces the image's ENTRYPOINT (and clears its CMD). */
  entrypoint?: string[];
  /** compose `command` / Kubernetes `args`: replaces the image's CMD. */
  command?: string[];
  /** Where the command is written ("compose.yml:12"). */
  commandAt: string;
  env: Record<string, string>;
  /** Variables the container sets to values not known here (a Kubernetes Secret not given, the downward API). */
  unknownEnv?: string[];
  /** Any variable not in `env` may be set to something unknown (a Kubernetes `envFrom` a Secret). */
  unsetEnvUnknown?: boolean;
  workingDir?: string;
  mounts: Mount[];
  stopGrace: StopGrace;
  memoryLimit?: MemoryLimit;
  /** compose `init: true`: docker-init (tini) runs as PID 1. */
  init?: boolean;
  stopSignal?: string;
  findings: Finding[];
  unreadable: string[];
  /** A file among the given ones with this base name, for paths no mount covers (a config baked into an image built with `build:`). */
  givenByName: (basename: string) => FoundFile | undefined;
}

/** A container that runs no data server, with why. */
export interface Skipped {
  name: string;
  reason: string;
}

/** Whether a container read as no server. */
export function isSkipped(read: Deployment | Skipped): read is Skipped {
  return !("kind" in read);
}

/**
 * Builds the Deployment of one container: follows its command to the server, reads the config
 * file and flags it is given (through its mounts), inlines includes, resolves `dir` and the
 * storage under it, and says what PID 1 is. Returns Skipped for a container that runs no server
 * (redis-cli, Sentinel, an unrelated image).
 */
export function containerDeployment(spec: ContainerSpec, kind: DeploymentKind): Deployment | Skipped {
  const traits = spec.image ? imageTraits(spec.image) : imageTraits({ reference: "", repository: "", family: "unknown", server: "unknown", unknown: [] });
  const entrypoint = spec.entrypoint ?? traits.entrypoint;
  const command = spec.command ?? (spec.entrypoint ? [] : traits.cmd);
  const unreadable = [...spec.unreadable];
  if (entrypoint === undefined && command === undefined) {
    return { name: spec.name, reason: `the image ${spec.image?.reference ?? "(none)"} is not one the readers know and no command is given: what it runs is unknown` };
  }
  if (entrypoint === undefined && spec.image) unreadable.push(`the entrypoint of ${spec.image.reference} is unknown: the command is read as if it ran as written`);
  const argv = [...(spec.init ? ["docker-init", "--"] : []), ...(entrypoint ?? []), ...(command ?? [])];
  const copies = new Map<string, string>();
  const find = containerFinder(spec, copies, false);
  const findStrict = containerFinder(spec, copies, true);
  const findScript: ScriptFinder = (p, by) => {
    const mount = mountFor(p, spec.mounts);
    if (!mount?.read) return undefined;
    return find(p, by)[0]?.text;
  };
  const launch = followLaunch(argv, traits, spec.env, findScript, spec.commandAt, { names: spec.unknownEnv ?? [], unset: spec.unsetEnvUnknown === true });
  if (launch.kind === "other") return { name: spec.name, reason: launch.reason };
  for (const [dst, src] of launch.copies) copies.set(dst, src);

  const binary = launch.kind === "server" ? (launch.argv[0] ?? "") : "";
  const server = spec.image && spec.image.server !== "unknown" ? spec.image.server : /valkey/.test(binary) ? "valkey" : "redis";
  const version = spec.image?.version;
  const parsing = versionForParsing(server, version);
  const findings: Finding[] = [...spec.findings, ...launch.findings];
  unreadable.push(...launch.unreadable);
  let serverArgv: string[];
  let fileDirectives: DeploymentDirective[] = [];
  let configFile: Deployment["configFile"];
  if (launch.kind === "bitnami-run") {
    const product = spec.image?.server === "valkey" ? "valkey" : "redis";
    const start = bitnamiStart(product, launch.extraArgs, launch.setup, launch.env, findStrict, parsing);
    serverArgv = start.argv;
    fileDirectives = start.directives;
    configFile = { path: start.configPath, readFrom: start.readFrom };
    findings.push(...start.findings);
    unreadable.push(...start.unreadable);
  } else {
    serverArgv = launch.argv;
  }
  const parsed = readServerArgv(serverArgv, parsing);
  // Redis resolves a relative config path, `dir` and includes against the directory it starts in.
  const moved = serverCwd(launch.before, spec.workingDir ?? traits.workingDir);
  const workingDir = moved.cwd;
  findings.push(...parsed.findings.map((f) => ({ ...f, at: `${f.at ?? ""} of \`${serverArgv.join(" ")}\` (${spec.commandAt})`.trim() })));
  if (parsed.stdin) throw new DeploymentError("unsupported", `${spec.commandAt}: redis-server reads its config from stdin (\`-\`), which the readers cannot see: put it in a file`, spec.file);
  if (launch.kind !== "bitnami-run" && parsed.configFile && launch.unknownWords.includes(parsed.configFile.path)) {
    // Already a danger (unknown-server-setting): there is no file to read.
    unreadable.push(`the config file \`${parsed.configFile.path}\` is not known here`);
  } else if (launch.kind !== "bitnami-run" && parsed.configFile) {
    const containerPath = path.posix.resolve(workingDir, parsed.configFile.path);
    const [file] = find(containerPath, `redis-server's config file (${spec.commandAt})`);
    if (!file) throw new DeploymentError("missing-file", `${spec.commandAt}: redis-server's config file ${containerPath} matches no file`, spec.file);
    const read = readConfText(file, containerPath, parsing);
    fileDirectives = read.directives;
    findings.push(...read.findings);
    configFile = { path: containerPath, readFrom: file.display };
  }
  const flagDirectives: DeploymentDirective[] = parsed.options.flatMap((option) => {
    const read = readConfText({ text: option.text, display: spec.commandAt }, undefined, parsing);
    return read.directives.map((d) => ({ ...d, origin: { kind: "flag" as const, index: option.index, text: flagText(option.words), source: spec.commandAt } }));
  });
  const expanded = expandIncludes([...fileDirectives, ...flagDirectives], workingDir, find, parsing);
  findings.push(...expanded.findings);
  const dataDir = dataDirOf(expanded.directives, workingDir);
  const dependsOnCwd = dataDirOf(expanded.directives, "/a").path !== dataDirOf(expanded.directives, "/b").path || (parsed.configFile !== undefined && !parsed.configFile.path.startsWith("/"));
  if (moved.unknown !== undefined && dependsOnCwd) {
    findings.push({
      id: "unknown-server-setting",
      severity: "danger",
      message: `\`${moved.unknown}\` before the server: the directory it starts in cannot be known here, and its data dir (or config file) is relative to it`,
      fix: "give `dir` (and the config file) as absolute paths, or `cd` to a written directory",
      at: spec.commandAt,
    });
  }
  const { storage, onStorage } = storageOf(dataDir.path, spec.mounts, traits.volume, traits.source, spec.platform);
  findings.push(...storageFindings(dataDir.path, storage, spec.mounts, spec.platform, dataDir.origin ? describeOrigin(dataDir.origin) : undefined));
  const names = dataFileNamesOf({ directives: expanded.directives, server, ...(version !== undefined ? { version } : {}) });
  findings.push(...nestedMountFindings(dataDir.path, storage, spec.mounts, names));
  const configPaths = [...new Set([configFile?.path, ...expanded.includePaths, ...expanded.directives.map((d) => (d.origin.kind === "file" ? d.origin.containerPath : undefined))].filter((p): p is string => p !== undefined))];
  findings.push(...commandsBeforeFindings(launch.before, dataDir.path, spec.workingDir ?? traits.workingDir, names, configPaths, launch.copies));
  findings.push(...pid1Findings(launch.pid1, spec));
  const stopSignal = stopSignalName(spec.stopSignal);
  if (stopSignal === "SIGKILL") findings.push({ id: "stop-signal-kill", severity: "danger", message: "`stop_signal: SIGKILL`: every stop is a crash, Redis never saves on stop", fix: "remove stop_signal (SIGTERM) or use SIGINT" });
  // Redis shuts down only on SIGTERM and SIGINT. As PID 1 it ignores any other signal it has no handler for, until the grace ends in SIGKILL (measured with SIGQUIT: 3 keys became 0); under an init it dies of it. Either way a crash.
  else if (stopSignal && stopSignal !== "SIGTERM" && stopSignal !== "SIGINT") {
    findings.push({ id: "stop-signal-kill", severity: "danger", message: `\`stop_signal: ${spec.stopSignal}\`: Redis shuts down cleanly only on SIGTERM or SIGINT; it ignores ${stopSignal} as PID 1 until the grace ends in SIGKILL, or dies of it: every stop is a crash`, fix: "remove stop_signal (SIGTERM) or use SIGINT" });
  }
  if (spec.image) unreadable.push(...spec.image.unknown);
  if (spec.image?.family === "official-valkey" && storage.kind !== "named-volume" && !/^\d+\.\d+/.test(spec.image.version ?? "")) {
    unreadable.push("valkey/valkey images up to 8.0 declare VOLUME /data and 8.1 ones do not: this tag is read as the newest release, without one");
  }
  const deployment: Deployment = {
    kind,
    name: spec.name,
    file: spec.file,
    ...(spec.image ? { image: spec.image } : {}),
    server,
    ...(version ? { version } : {}),
    argv: serverArgv,
    ...(configFile ? { configFile } : {}),
    directives: expanded.directives,
    complete: !unreadable.some((u) => /command line it builds is unknown|cannot be known/.test(u)) && !findings.some((f) => f.id === "unresolved-shell-words"),
    workingDir,
    dataDir: { path: dataDir.path, ...(dataDir.origin ? { origin: dataDir.origin } : {}), onStorage },
    storage,
    mounts: spec.mounts.map((m) => m.storage),
    stopGrace: spec.stopGrace,
    pid1: launch.pid1,
    ...(spec.memoryLimit ? { memoryLimit: spec.memoryLimit } : {}),
    env: spec.env,
    findings,
    unreadable,
  };
  return deployment;
}

function pid1Findings(pid1: Deployment["pid1"], spec: ContainerSpec): Finding[] {
  if (pid1.sigterm === "never") {
    return [{ id: "sigterm-never-reaches-server", severity: "danger", message: `SIGTERM never reaches the server (${pid1.reason}): every stop waits the ${spec.stopGrace.ms / 1000} s grace and then kills Redis without a final save`, fix: "start the server with `exec redis-server ...` (or drop the shell and give the command as a list)", at: spec.commandAt }];
  }
  if (pid1.sigterm === "maybe") {
    return [{ id: "sigterm-may-not-reach-server", severity: "warning", message: `SIGTERM may not reach the server: ${pid1.reason}`, fix: "write `exec redis-server ...` in the script, or give the command as a list without a shell", at: spec.commandAt }];
  }
  return [];
}

/**
 * Finds a file at a container path through the container's mounts: a bind mount reads the host
 * file (a given one, else the disk), a ConfigMap its key; a path under a volume or under no mount
 * cannot be read. Unless `strict`, a path no mount covers falls back to a given file of the same
 * base name (a config baked into an image). A path Bitnami's scripts copy (`cp src dst`) is read
 * from its source.
 */
export function containerFinder(spec: ContainerSpec, copies: Map<string, string>, strict: boolean): FileFinder {
  const finder: FileFinder = (containerPath, referencedBy) => {
    const source = copies.get(containerPath) ?? containerPath;
    const mount = mountFor(source, spec.mounts);
    const wildcard = /[*?[]/.test(path.posix.basename(source));
    if (mount) {
      const relative = path.posix.relative(mount.storage.mountPath, source);
      if (!mount.read) {
        // A wildcard over a volume or emptyDir matches whatever another process put there at run time, not "nothing".
        throw new DeploymentError(
          "missing-file",
          `${referencedBy} reads ${source}, which is inside the ${mount.storage.kind} ${mount.storage.source ?? ""} mounted at ${mount.storage.mountPath}: its content is not in the files given${wildcard ? " (Redis includes whatever matches there when it starts)" : ""}`.replace("  ", " "),
          spec.file,
        );
      }
      if (wildcard) {
        const dir = path.posix.dirname(relative);
        const re = globToRegExp(path.posix.basename(relative));
        return (mount.list?.(dir === "." ? "" : dir) ?? []).filter((f) => re.test(path.posix.basename(f.display)));
      }
      const found = mount.read(relative);
      if (found === "missing") {
        throw new DeploymentError("missing-file", `${referencedBy} reads ${source}: ${mount.missing?.(relative) ?? "not given"}`, spec.file);
      }
      return found;
    }
    if (wildcard) {
      // No mount holds the directory, but a file mount or a start script's `cp` may put files in it; glob() sorts them.
      const dir = path.posix.dirname(source);
      const re = globToRegExp(path.posix.basename(source));
      const placed = [...new Set([...spec.mounts.map((m) => m.storage.mountPath), ...copies.keys()])].filter((p) => path.posix.dirname(p) === dir && re.test(path.posix.basename(p)));
      return placed.sort().flatMap((p) => finder(p, referencedBy));
    }
    const given = strict ? undefined : spec.givenByName(path.posix.basename(source));
    if (given) return [{ ...given, display: `${given.display} (taken as ${source})` }];
    const base = path.posix.basename(source);
    throw new DeploymentError(
      "missing-file",
      `${referencedBy} reads ${source}, which no volume mounts into the container: it must come from the image (${spec.image?.reference ?? "unknown"}), which the gate cannot read. Mount it from a file, or pass the file too: gate ${spec.file} ${base}`,
      spec.file,
    );
  };
  return finder;
}

// "SIGQUIT", "quit", "3" -> "SIGQUIT"; the numbers compose and Kubernetes accept for the usual ones.
function stopSignalName(written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  const byNumber: Record<string, string> = { "1": "SIGHUP", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "10": "SIGUSR1", "12": "SIGUSR2", "15": "SIGTERM" };
  const text = written.trim().toUpperCase();
  return byNumber[text] ?? text.replace(/^(?!SIG)/, "SIG");
}
