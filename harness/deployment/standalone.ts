import path from "node:path";
import type { FileFinder, FoundFile } from "./conf-reader.js";
import { dataDirOf, expandIncludes, globToRegExp, readConfText } from "./conf-reader.js";
import { DeploymentError } from "./deployment-error.js";
import type { Deployment, DeploymentDirective, Finding, ImageRef, ReadOptions, SourceFile, StopGrace, Storage } from "./deployment.js";
import type { GivenFiles } from "./given-files.js";
import { parseImageRef, versionForParsing } from "./image-ref.js";
import { imageTraits } from "./image-traits.js";
import { followLaunch } from "./launch.js";
import { flagText, readServerArgv } from "./server-argv.js";
import { readShellScript } from "./shell-script.js";

/** `docker stop`'s default grace, for a config or command line that names none. */
export const DOCKER_DEFAULT_GRACE_MS = 10_000;

const UNKNOWN_STORAGE: Storage = { kind: "unknown", note: "a bare config file or command line names no storage: the gate runs it on a named volume at /data" };

function graceFor(options: ReadOptions): StopGrace {
  return options.graceMs !== undefined ? { ms: options.graceMs, source: "--grace" } : { ms: DOCKER_DEFAULT_GRACE_MS, source: "docker stop default (10 s)" };
}

function serverOf(image: ImageRef | undefined): { server: Deployment["server"]; version?: string } {
  if (!image) return { server: "unknown" };
  return { server: image.server, ...(image.version ? { version: image.version } : {}) };
}

/**
 * A bare redis.conf or valkey.conf as one Deployment: its directives with `include`s inlined
 * (looked up among the given files, then next to it on disk), on the image `options.image`
 * names when given (server and version), storage unknown (the gate supplies it).
 */
export function confDeployment(file: SourceFile, given: GivenFiles, options: ReadOptions): Deployment {
  const image = options.image ? parseImageRef(options.image) : undefined;
  const valkeyOnly = image ? undefined : firstValkeyOnly(file.text);
  const { server, version } = valkeyOnly ? { server: "valkey" as const, version: undefined } : serverOf(image);
  const parsing = versionForParsing(server, version);
  const workingDir = image ? imageTraits(image).workingDir : "/data";
  given.markUsed(file.path);
  const read = readConfText({ text: file.text, display: file.path }, undefined, parsing);
  const expanded = expandIncludes(read.directives, workingDir, hostFinder(path.dirname(file.path), given, file.path), parsing);
  const dataDir = dataDirOf(expanded.directives, workingDir);
  return {
    kind: "conf",
    name: path.basename(file.path),
    file: file.path,
    ...(image ? { image } : {}),
    server,
    ...(version ? { version } : {}),
    argv: [server === "valkey" ? "valkey-server" : "redis-server", file.path],
    configFile: { path: file.path, readFrom: file.path },
    directives: expanded.directives,
    complete: true,
    workingDir,
    dataDir: { path: dataDir.path, ...(dataDir.origin ? { origin: dataDir.origin } : {}), onStorage: "unknown" },
    storage: UNKNOWN_STORAGE,
    mounts: [],
    stopGrace: graceFor(options),
    pid1: { process: server === "valkey" ? "valkey-server" : "redis-server", sigterm: "reaches-server", reason: "the gate starts the server directly" },
    env: {},
    findings: [...read.findings, ...expanded.findings],
    unreadable: image
      ? [...image.unknown]
      : valkeyOnly
        ? [`no image given: read as Valkey (line ${valkeyOnly.line} uses \`${valkeyOnly.name}\`, which only Valkey knows), version unknown`]
        : ["no image given: server and version unknown"],
  };
}

/**
 * Directives only Valkey knows (no Redis release 6.0..8.0 does), as the gate's directive table
 * (harness/gate/directive-versions.ts, read from both projects' src/config.c) lists them.
 */
const VALKEY_ONLY = new Set(["availability-zone", "cluster-announce-client-ipv4", "cluster-announce-client-ipv6", "cluster-blacklist-ttl", "cluster-slot-stats-enabled", "dual-channel-replication-enabled", "extended-redis-compatibility", "prefetch-batch-max-size", "primaryauth", "primaryuser", "unixsocketgroup"]);

function firstValkeyOnly(text: string): { name: string; line: number } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*([A-Za-z-]+)\s/.exec(lines[i] ?? "")?.[1]?.toLowerCase();
    if (name && VALKEY_ONLY.has(name)) return { name, line: i + 1 };
  }
  return undefined;
}

/**
 * A command line (`redis-server /etc/redis.conf --appendonly yes`, a bare flags list that an
 * image's entrypoint prefixes, `sh -c "... exec redis-server ..."`) as one Deployment. It is split
 * as a shell splits it; the config file and includes are looked up among the given files (by path,
 * then base name) and on disk.
 */
export function commandDeployment(command: string | string[], given: GivenFiles, options: ReadOptions): Deployment {
  const image = options.image ? parseImageRef(options.image) : parseImageRef("redis");
  const traits = imageTraits(image);
  const words = Array.isArray(command) ? command : splitCommandLine(command);
  if (words.length === 0) throw new DeploymentError("bad-command", "the command line is empty: give `redis-server ...` or flags");
  const text = Array.isArray(command) ? command.join(" ") : command;
  const first = words[0] as string;
  const argv = first.startsWith("-") || first.endsWith(".conf") ? [traits.binary, ...words] : words;
  const where = "the command line";
  const finder = hostFinder(".", given, where);
  const launch = followLaunch(argv, { ...traits, prefixesServer: true }, {}, (p, by) => finder(p, by)[0]?.text, where);
  if (launch.kind !== "server") throw new DeploymentError("bad-command", `\`${text}\` ${launch.kind === "other" ? launch.reason : "runs Bitnami's run.sh"}: give a command that starts redis-server or valkey-server`);
  const server = launch.argv[0]?.includes("valkey") ? "valkey" : image.server === "unknown" ? "redis" : image.server;
  const version = options.image ? image.version : undefined;
  const parsing = versionForParsing(server, version);
  const parsed = readServerArgv(launch.argv, parsing);
  if (parsed.stdin) throw new DeploymentError("unsupported", `\`${text}\` reads the config from stdin (\`-\`), which the readers cannot see: put it in a file`);
  const findings: Finding[] = [...launch.findings, ...parsed.findings];
  let fileDirectives: DeploymentDirective[] = [];
  let configFile: Deployment["configFile"];
  if (parsed.configFile) {
    const [found] = finder(parsed.configFile.path, `${where}'s config file`);
    if (!found) throw new DeploymentError("missing-file", `${where}: the config file ${parsed.configFile.path} matches no file`);
    const read = readConfText(found, parsed.configFile.path, parsing);
    fileDirectives = read.directives;
    findings.push(...read.findings);
    configFile = { path: parsed.configFile.path, readFrom: found.display };
  }
  const flags = parsed.options.flatMap((option) =>
    readConfText({ text: option.text, display: where }, undefined, parsing).directives.map((d) => ({ ...d, origin: { kind: "flag" as const, index: option.index, text: flagText(option.words), source: where } })),
  );
  const expanded = expandIncludes([...fileDirectives, ...flags], traits.workingDir, finder, parsing);
  findings.push(...expanded.findings);
  const dataDir = dataDirOf(expanded.directives, traits.workingDir);
  return {
    kind: "command",
    name: "command line",
    ...(options.image ? { image } : {}),
    server,
    ...(version ? { version } : {}),
    argv: launch.argv,
    ...(configFile ? { configFile } : {}),
    directives: expanded.directives,
    complete: !findings.some((f) => f.id === "unresolved-shell-words"),
    workingDir: traits.workingDir,
    dataDir: { path: dataDir.path, ...(dataDir.origin ? { origin: dataDir.origin } : {}), onStorage: "unknown" },
    storage: UNKNOWN_STORAGE,
    mounts: [],
    stopGrace: graceFor(options),
    pid1: launch.pid1,
    env: {},
    findings: [
      ...findings,
      ...(launch.pid1.sigterm === "never" ? [{ id: "sigterm-never-reaches-server", severity: "danger" as const, message: `SIGTERM never reaches the server: ${launch.pid1.reason}`, fix: "start it with `exec redis-server ...`" }] : []),
      ...(launch.pid1.sigterm === "maybe" ? [{ id: "sigterm-may-not-reach-server", severity: "warning" as const, message: `SIGTERM may not reach the server: ${launch.pid1.reason}`, fix: "start it with `exec redis-server ...`" }] : []),
    ],
    unreadable: options.image ? [...image.unknown] : ["no image given: read as the official redis image (version unknown)"],
  };
}

/** A command line split as a POSIX shell splits it (quotes, escapes), unknown `$VAR`s kept as written. */
export function splitCommandLine(text: string): string[] {
  const script = readShellScript(text, {});
  if (script.commands.length !== 1) throw new DeploymentError("bad-command", `\`${text}\` is ${script.commands.length === 0 ? "empty" : "several commands"}: give one command (use \`sh -c "..."\` for a script)`);
  const command = script.commands[0] as (typeof script.commands)[number];
  return [...(command.exec ? ["exec"] : []), ...command.words.map((w) => w.text)];
}

// Includes and config files of a conf or command line: a given file at that path or with that base name, else the disk next to the referencing file.
function hostFinder(hostDir: string, given: GivenFiles, self: string): FileFinder {
  return (p, referencedBy) => {
    const base = path.posix.basename(p);
    if (/[*?[]/.test(base)) {
      const re = globToRegExp(base);
      return given.list(path.isAbsolute(p) ? path.dirname(p) : path.join(hostDir, path.dirname(p))).filter((f) => re.test(path.basename(f.display)));
    }
    const exact = given.files.find((f) => path.resolve(f.path) === path.resolve(p) || path.resolve(f.path) === path.resolve(hostDir, p));
    if (exact) return [given.read(exact.path) as FoundFile];
    const found = given.byName(base, [self]) ?? (path.isAbsolute(p) ? undefined : given.read(path.join(hostDir, p))) ?? given.read(path.join(hostDir, base));
    if (found) return [found];
    throw new DeploymentError("missing-file", `${referencedBy} reads ${p}, which is not given and not next to ${self}: pass the file too: gate ${self} ${base}`);
  };
}
