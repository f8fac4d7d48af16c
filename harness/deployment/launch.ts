import path from "node:path";
import { DeploymentError } from "./deployment-error.js";
import type { Finding, Pid1 } from "./deployment.js";
import type { ImageTraits } from "./image-traits.js";
import { serverOfBinary } from "./image-ref.js";
import type { ShellCommand, ShellScript, ShellWord } from "./shell-script.js";
import { readShellScript } from "./shell-script.js";
import { unwrapped } from "./start-commands.js";

/** A command a shell runs before it starts the server (`rm -rf /data/*` in `sh -c "rm -rf /data/* && exec redis-server"`), with the script it is in. */
export interface CommandBefore {
  command: ShellCommand;
  /** "compose.yml:7: the `sh -c` script", "/scripts/start.sh". */
  where: string;
}

/** Reads a script a command runs (a start script from a ConfigMap); undefined when it is neither given nor mounted. Throws when a mount names something not given. */
export type ScriptFinder = (containerPath: string, referencedBy: string) => string | undefined;

/** Variables the container sets to values not known here: by name (a Kubernetes Secret, the downward API), or every one not in its env (`envFrom` a Secret). */
export interface UnknownEnv {
  names: readonly string[];
  unset: boolean;
}

/** How a container's argv reaches the server. */
export type Launch =
  | { kind: "server"; argv: string[]; pid1: Pid1; findings: Finding[]; unreadable: string[]; copies: Map<string, string>; before: CommandBefore[]; env: Record<string, string>; unknownWords: string[] }
  /** Bitnami's run.sh: the image's scripts write redis.conf from the environment (`setup` when the entrypoint ran setup.sh first), then exec the server. */
  | { kind: "bitnami-run"; extraArgs: string[]; setup: boolean; pid1: Pid1; findings: Finding[]; unreadable: string[]; copies: Map<string, string>; before: CommandBefore[]; env: Record<string, string>; unknownWords: string[] }
  /** Not a server: redis-cli, Sentinel, or a command the readers cannot follow to one. */
  | { kind: "other"; reason: string; unreadable: string[] };

interface Chain {
  /** PID 1: the first process nothing exec()s away. */
  pid1?: string;
  /** How SIGTERM sent to PID 1 travels: to the current process, to its whole group, maybe, never. */
  delivery: "direct" | "group" | "maybe" | "never";
  why: string[];
  findings: Finding[];
  unreadable: string[];
  copies: Map<string, string>;
  bitnamiSetup: boolean;
  /** What the shells run before the server, in order. */
  before: CommandBefore[];
  /** Words of the server's command line that cannot be known here (an unknown-server-setting). */
  unknownWords: string[];
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);
/** Programs that exec() what follows them (after their options, and a user for the first three). */
const EXEC_WRAPPERS = new Set(["gosu", "su-exec", "chpst", "setpriv", "env", "nice", "ionice", "numactl", "taskset", "stdbuf", "exec", "nohup"]);
const TAKES_USER = new Set(["gosu", "su-exec", "chpst"]);
const INITS = new Set(["tini", "docker-init", "dumb-init"]);

/**
 * Follows a container's argv (ENTRYPOINT + CMD after overrides) to the server it starts, as the
 * processes would: the image's entrypoint (which puts redis-server in front of a leading flag or
 * `.conf` file), exec() chains (gosu, su-exec, setpriv, env), init processes (tini forwards SIGTERM
 * to its child only unless `-g`, dumb-init to the whole group), and shells (`sh -c` scripts, start
 * scripts from ConfigMaps). Says what PID 1 is and whether SIGTERM reaches the server: a shell
 * that starts it without `exec` stays PID 1 and, as PID 1 without a handler, ignores SIGTERM,
 * unless it execs its only command by itself (bash does; dash and BusyBox sh depend on the version).
 */
export function followLaunch(argv: string[], traits: ImageTraits, env: Record<string, string>, findScript: ScriptFinder, at: string, unknownEnv: UnknownEnv = { names: [], unset: false }): Launch {
  const chain: Chain = { delivery: "direct", why: [], findings: [], unreadable: [], copies: new Map(), bitnamiSetup: false, before: [], unknownWords: [] };
  return step(argv, chain, { traits, env, findScript, unknownEnv }, at, 0);
}

interface Context {
  traits: ImageTraits;
  env: Record<string, string>;
  findScript: ScriptFinder;
  unknownEnv: UnknownEnv;
}

function step(argv: string[], chain: Chain, ctx: Context, at: string, depth: number): Launch {
  if (depth > 16) return { kind: "other", reason: "the command runs through more than 16 wrappers", unreadable: chain.unreadable };
  const [program, ...rest] = argv;
  if (program === undefined || program === "") return { kind: "other", reason: "the container has no command", unreadable: chain.unreadable };
  const base = path.posix.basename(program);
  chain.pid1 ??= base;
  const execInto = (words: string[]): Launch => {
    if (chain.pid1 === base) chain.pid1 = undefined;
    return step(words, chain, ctx, at, depth + 1);
  };

  if (base === "docker-entrypoint.sh" && ctx.traits.prefixesServer) {
    const first = rest[0] ?? "";
    const words = first.startsWith("-") || first.endsWith(".conf") ? [ctx.traits.binary, ...rest] : [...rest];
    const extraEnv = ctx.traits.extraFlagsEnv;
    const extra = extraEnv ? ctx.env[extraEnv] : undefined;
    if (extra) words.push(...extra.split(/[ \t\n]+/).filter(Boolean));
    else if (extraEnv && (ctx.unknownEnv.names.includes(extraEnv) || ctx.unknownEnv.unset)) {
      chain.findings.push(unknownSettingFinding([`$${extraEnv}`], `the image's entrypoint appends ${extraEnv}, whose value is not known here: a Secret, the downward API, or a script before it sets it`, "give the Secret or ConfigMap it comes from among the files, or write the flags into the manifest", at));
    }
    return execInto(words);
  }
  if (/^\/opt\/bitnami\/scripts\/(redis|valkey)\/entrypoint\.sh$/.test(program)) {
    // It runs setup.sh (redis.conf from the environment) when run.sh is in its arguments, then exec "$@".
    if (rest.some((w) => /(^|\/)run\.sh$/.test(w))) chain.bitnamiSetup = true;
    return execInto(rest);
  }
  if (/^\/opt\/bitnami\/scripts\/(redis|valkey)\/run\.sh$/.test(program) || program === "/run.sh") {
    if (chain.pid1 === base) chain.pid1 = undefined;
    unknownVariableSettings(["run.sh", ...rest], chain, ctx, at);
    return { kind: "bitnami-run", extraArgs: rest, setup: chain.bitnamiSetup, pid1: pid1Of(chain, "run.sh ends with `exec redis-server`"), findings: chain.findings, unreadable: chain.unreadable, copies: chain.copies, before: chain.before, env: ctx.env, unknownWords: chain.unknownWords };
  }
  if (program === "/entrypoint.sh" && ctx.traits.workingDir === "/opt/redis-stack") {
    chain.pid1 = "dumb-init";
    chain.delivery = "group";
    chain.why.push("dumb-init (the entrypoint's #!) forwards SIGTERM to the whole process group");
    chain.unreadable.push("redis-stack-server's start script also loads the Stack modules; only `--dir` and REDIS_ARGS are modelled");
    const args = (ctx.env.REDIS_ARGS ?? "").split(/[ \t\n]+/).filter(Boolean);
    return step(["redis-stack-server", "--dir", ctx.env.REDIS_DATA_DIR || "/data", ...args, ...rest], chain, ctx, at, depth + 1);
  }
  if (base === "env") {
    // `env [-i] NAME=value... command`: the command runs with those variables (and only those after -i).
    const cleared = rest.includes("-i") || rest.includes("-");
    const assignments = Object.fromEntries(rest.filter((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]));
    const env = { ...(cleared ? {} : ctx.env), ...assignments };
    const unknownEnv = cleared ? { names: [], unset: false } : { ...ctx.unknownEnv, names: ctx.unknownEnv.names.filter((n) => !Object.hasOwn(assignments, n)) };
    if (chain.pid1 === base) chain.pid1 = undefined;
    return step(afterWrapper(base, rest), chain, { ...ctx, env, unknownEnv }, at, depth + 1);
  }
  if (EXEC_WRAPPERS.has(base)) return execInto(afterWrapper(base, rest));
  if (INITS.has(base)) {
    const child = afterWrapper(base, rest);
    const own = rest.slice(0, rest.length - child.length);
    const group = base === "dumb-init" ? !own.includes("--single-child") && !own.includes("-c") : own.includes("-g");
    if (chain.pid1 === base && chain.delivery === "direct") {
      chain.delivery = group ? "group" : "direct";
      chain.why.push(group ? `${base} forwards SIGTERM to the whole process group` : `${base} forwards SIGTERM to its child`);
    }
    return step(child, chain, ctx, at, depth + 1);
  }
  const server = serverOfBinary(program);
  if (base === "redis-sentinel" || (server !== undefined && rest.includes("--sentinel"))) {
    return { kind: "other", reason: "runs Sentinel, which keeps no data of its own", unreadable: chain.unreadable };
  }
  if (server !== undefined) {
    unknownVariableSettings(argv, chain, ctx, at);
    const where = chain.pid1 === base ? "is PID 1" : `runs under ${chain.pid1}`;
    return { kind: "server", argv: [base, ...rest], pid1: pid1Of(chain, `${base} ${where}`), findings: chain.findings, unreadable: chain.unreadable, copies: chain.copies, before: chain.before, env: ctx.env, unknownWords: chain.unknownWords };
  }
  if (SHELLS.has(base) || base.endsWith(".sh")) return shell(program, base, rest, chain, ctx, at, depth);
  return { kind: "other", reason: `runs \`${base}\`, not redis-server or valkey-server`, unreadable: chain.unreadable };
}

function shell(program: string, base: string, rest: string[], chain: Chain, ctx: Context, at: string, depth: number): Launch {
  let script: string | undefined;
  let positional: string[];
  let where: string;
  const flagIndex = SHELLS.has(base) ? rest.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w)) : -1;
  if (flagIndex >= 0) {
    script = rest[flagIndex + 1];
    if (script === undefined) throw new DeploymentError("bad-command", `${at}: \`${base} -c\` has no script after it: the shell exits with "option requires an argument"`);
    positional = rest.slice(flagIndex + 3);
    where = `${at}: the \`${base} -c\` script`;
  } else {
    const file = SHELLS.has(base) ? rest.find((w) => !w.startsWith("-")) : program;
    if (file === undefined) return { kind: "other", reason: `runs an interactive \`${base}\``, unreadable: chain.unreadable };
    script = ctx.findScript(file, at);
    positional = SHELLS.has(base) ? rest.slice(rest.indexOf(file) + 1) : rest;
    where = file;
    if (script === undefined) {
      chain.unreadable.push(`the start script ${file} is part of the image or not given: the command line it builds is unknown`);
      return { kind: "other", reason: `runs the script ${file}, which is not given`, unreadable: chain.unreadable };
    }
  }
  const read = readShellScript(script, ctx.env, positional, ctx.unknownEnv);
  for (const [dst, src] of read.copies) chain.copies.set(dst, src);
  const command =
    read.commands.find((c) => startsServer(c.words.map((w) => w.text))) ??
    read.commands.find((c) => {
      const program = c.words[0]?.text ?? "";
      return (program.endsWith(".sh") || program.startsWith("/")) && !c.words[0]?.unresolved && ctx.findScript(program, where) !== undefined;
    });
  if (!command) {
    if (read.unresolved.length > 0) chain.unreadable.push(`${where}: ${read.unresolved.join(", ")}`);
    return { kind: "other", reason: `${where} starts no redis-server or valkey-server that the readers can see`, unreadable: chain.unreadable };
  }
  chain.before.push(...read.commands.slice(0, read.commands.indexOf(command)).map((c) => ({ command: c, where })));
  const branching = branchingStart(read, command, ctx, where);
  if (branching !== undefined) {
    chain.findings.push({
      id: "start-command-branches",
      severity: "danger",
      message: `${where}: ${branching}: which settings Redis starts with is decided when the container starts, and the gate read \`${command.words.map((w) => w.text).join(" ")}\``,
      fix: "start the server with one command line on every path (the gate judges one; a primary and its replicas are separate services), or gate each command that can run with --command",
      at: where,
    });
  }
  const unknownSettings = unknownDurabilityWords(command.words);
  chain.unknownWords.push(...unknownSettings);
  if (unknownSettings.length > 0) chain.findings.push(unknownSettingFinding(unknownSettings, "an unset variable or a command substitution", "pass the variables with --env, or write the values into the command", where));
  const unknown = command.words.filter((w) => w.unresolved && !unknownSettings.includes(w.text)).map((w) => `\`${w.text}\``);
  if (unknown.length > 0) {
    chain.findings.push({
      id: "unresolved-shell-words",
      severity: "warning",
      message: `${where}: ${unknown.join(", ")} in the server's command line cannot be known here (an unset variable or a command substitution); read as written`,
      fix: "pass the variables with --env, or write the values into the command",
      at: where,
    });
  }
  const shellName = SHELLS.has(base) ? `${base} -c` : `${base} (run by its #! shell)`;
  const shellIsPid1 = chain.pid1 === base;
  if (shellIsPid1) chain.pid1 = shellName;
  const background = command.next === "&";
  const only = read.commands.length === 1 && !background;
  if (command.exec || (only && base === "bash" && flagIndex >= 0)) {
    // `exec`, or bash -c with a single simple command, which bash execs itself.
    if (shellIsPid1) chain.pid1 = undefined;
  } else if (chain.delivery === "direct") {
    if (only && shellIsPid1) {
      chain.delivery = "maybe";
      chain.why.push(`${shellName} starts the server without \`exec\`: unless that shell execs its only command by itself (bash does; dash and BusyBox sh depend on the version), the shell stays PID 1 and, as PID 1, ignores SIGTERM`);
    } else {
      chain.delivery = "never";
      const how = background ? " and in the background" : only ? "" : " among other commands";
      chain.why.push(
        shellIsPid1
          ? `${shellName} starts the server without \`exec\`${how}: the shell stays PID 1 and, as PID 1, ignores SIGTERM; the server is killed when the grace ends`
          : `${chain.pid1} forwards SIGTERM to ${shellName} only, which starts the server without \`exec\`${how}: the shell dies and the server is killed without saving`,
      );
    }
  }
  // What it runs sees its prefix assignments, and may see what the script assigned (if exported).
  const prefix = command.env ?? {};
  const next: Context = {
    ...ctx,
    env: { ...ctx.env, ...prefix },
    unknownEnv: { names: [...new Set([...ctx.unknownEnv.names, ...read.assigned, ...(command.unknownEnv ?? [])])].filter((n) => !Object.hasOwn(prefix, n)), unset: ctx.unknownEnv.unset },
  };
  return step(
    command.words.map((w) => w.text),
    chain,
    next,
    where,
    depth + 1,
  );
}

// A server argv word where a loss-changing setting goes that holds a Kubernetes `$(NAME)` whose
// value is not known (a Secret): the kubelet substitutes it, the readers kept it as written.
function unknownVariableSettings(argv: string[], chain: Chain, ctx: Context, at: string): void {
  if (ctx.unknownEnv.names.length === 0 || chain.findings.some((f) => f.id === "unknown-server-setting")) return;
  const holdsUnknown = (text: string): boolean => ctx.unknownEnv.names.some((name) => text.includes(`$(${name})`));
  const unknown = unknownDurabilityWords(argv.map((text) => ({ text, unresolved: holdsUnknown(text) })));
  chain.unknownWords.push(...unknown);
  if (unknown.length > 0) chain.findings.push(unknownSettingFinding(unknown, "a variable from a Secret or the downward API", "give the Secret or ConfigMap it comes from among the files, or write the value into the manifest", at));
}

function unknownSettingFinding(words: string[], why: string, fix: string, at: string): Finding {
  return {
    id: "unknown-server-setting",
    severity: "danger",
    message: `${at}: ${words.map((w) => `\`${w}\``).join(", ")} in the server's command line cannot be known here (${why}) and stands where a setting that changes the loss goes: the gate cannot tell what Redis starts with`,
    fix,
    at,
  };
}

// Why the server's command line read from a script may not be the one that runs, or undefined:
// it expands a variable set on some paths only (or from one, or after a sourced file), the config
// it reads is copied from a file chosen at run time, another command may be exec'd instead, or the
// script starts the server in different ways on different paths. Differences in flags that change
// no loss bound (a password given on one path) do not count.
function branchingStart(read: ShellScript, chosen: ShellCommand, ctx: Context, where: string): string | undefined {
  if (read.unfollowed.length > 0) return `the script uses ${read.unfollowed.join(" and ")}, which the reader does not follow`;
  const uncertain = uncertainSettings(chosen);
  if (uncertain.length > 0) return `${uncertain.map((v) => `\`$${v}\``).join(", ")} in the server's command line ${uncertain.length === 1 ? "is" : "are"} set on some paths only (inside \`if\`, after \`&&\` or \`||\`), from such a variable, or after a sourced file`;
  if (read.uncertainCopies.length > 0) return `\`cp\` into ${read.uncertainCopies.join(", ")} copies a file chosen at run time`;
  const text = (c: ShellCommand): string => durabilityText(c.words);
  const servers = read.commands.filter((c) => startsServer(c.words.map((w) => w.text)));
  // `exec gosu redis "$0" "$@"` runs this same script again (the official entrypoint's step down from root): not another start path.
  // An `exec` of something else on some path, one before the server's, or any when the server's line runs on some paths only.
  const chosenAt = read.commands.indexOf(chosen);
  const otherExec = read.commands.find((c, i) => c !== chosen && c.exec && (c.conditional !== undefined || i < chosenAt || chosen.conditional !== undefined) && !servers.includes(c) && !c.words.some((w) => w.text === "$0"));
  if (otherExec) return `the script may exec \`${otherExec.words.map((w) => w.text).join(" ")}\` instead (${otherExec.conditional ?? "before the server's line"})`;
  const launcher = read.commands.find((c) => c !== chosen && mentionsServer(c) && !startsServer(c.words.map((w) => w.text)));
  if (launcher) return `it also starts the server through \`${launcher.words.map((w) => w.text).join(" ")}\`, which the reader does not follow`;
  const cli = read.commands.find(configSet);
  if (cli) return `\`${cli.words.map((w) => w.text).join(" ")}\` changes the settings after the server started`;
  // `sh <<EOF`, `echo ... | redis-cli`, `bash < /conf/more.sh`: commands the reader does not see.
  const fed = read.commands.find(readsCommands);
  if (fed) return `\`${fed.words.map((w) => w.text).join(" ")}\` reads commands from a here-document, a pipe or a file, which the reader does not follow`;
  const subshellCd = chosen.subshell ? read.commands.slice(0, chosenAt).find((c) => c.subshell && ["cd", "pushd", "popd"].includes(c.words[0]?.text ?? "")) : undefined;
  if (subshellCd) return `the server starts in a subshell after \`${subshellCd.words.map((w) => w.text).join(" ")}\`, so the directory it starts in is not followed`;
  const nested = read.commands.slice(0, read.commands.indexOf(chosen)).find((c) => changesStart(c, ctx, where));
  if (nested) return `it runs \`${nested.words.map((w) => w.text).join(" ")}\` before the server, a script that may start a server or change its settings or directory (it starts one, runs \`exec\`, feeds a shell, writes a config or is sourced and runs \`cd\`), and the reader does not follow it`;
  const movedOnSomePaths = read.commands.find((c) => ["cd", "pushd", "popd"].includes(c.words[0]?.text ?? "") && c.conditional !== undefined);
  if (servers.length > 1 && movedOnSomePaths) return `\`${movedOnSomePaths.words.map((w) => w.text).join(" ")}\` runs on some paths only before one of ${servers.length} server lines: they may start in different directories`;
  const others = servers.filter((c) => c !== chosen && text(c) !== text(chosen));
  if (others.length === 0) return undefined;
  // Unconditional too: a warm-up server (`--daemonize yes`, or `&`), then the one that stays, is read as the first.
  if (!servers.some((c) => c.conditional !== undefined)) return `the script starts the server ${servers.length} times with different settings, one after another`;
  return `the script starts the server in ${servers.length} different ways (${[...new Set(servers.map((c) => c.conditional ?? "one unconditionally"))].join(", ")})`;
}

/** Flags whose value says nothing about what is saved or where: a password or port read from a file on some paths only changes no loss bound. */
const FLAGS_WITHOUT_DURABILITY = new Set(["requirepass", "masterauth", "masteruser", "port", "tls-port", "bind", "loglevel", "logfile", "protected-mode", "replica-announce-ip", "replica-announce-port", "cluster-announce-ip", "cluster-announce-port", "cluster-announce-hostname", "cluster-announce-human-nodename", "cluster-announce-bus-port", "cluster-announce-tls-port", "cluster-config-file", "unixsocket", "tls-cert-file", "tls-key-file", "tls-ca-cert-file"]);

// The words after the program that can change the loss: flag names but the ones above, their
// values, and words before any flag (a config file).
function durabilityWordsOf(words: ShellWord[]): ShellWord[] {
  const kept: ShellWord[] = [];
  let skipping = false;
  let values = 0;
  for (const word of words.slice(1)) {
    if (word.text.startsWith("--")) {
      skipping = FLAGS_WITHOUT_DURABILITY.has(word.text.slice(2).toLowerCase());
      values = 0;
      if (!skipping) kept.push(word);
      continue;
    }
    // An unknown word after the exempt flag's value (`--requirepass "$PW" $(cat extra.flags)`) may be flags of its own.
    if (!skipping || (values > 0 && word.unresolved)) kept.push(word);
    values++;
  }
  return kept;
}

// The unresolved words of a server command line that can change the loss.
function unknownDurabilityWords(words: ShellWord[]): string[] {
  return durabilityWordsOf(words)
    .filter((w) => w.unresolved)
    .map((w) => w.text);
}

// A command line without the flags above and their values: what two start commands are compared on.
function durabilityText(words: ShellWord[]): string {
  return [words[0]?.text ?? "", ...durabilityWordsOf(words).map((w) => w.text)].join(" ");
}

// The uncertain variables that reach a setting that can change the loss, or that expanded to no
// word at all (`$EXTRA` empty on the path read, `--appendonly no` on another).
function uncertainSettings(command: ShellCommand): string[] {
  const names = new Set(durabilityWordsOf(command.words).flatMap((w) => w.uncertain ?? []));
  const inWords = new Set(command.words.slice(1).flatMap((w) => w.uncertain ?? []));
  for (const v of command.uncertain) if (!inWords.has(v)) names.add(v);
  return [...names];
}

// Whether any word of a command names a server binary (`runuser -u redis -- redis-server`, `su -c "redis-server ..."`).
function mentionsServer(command: ShellCommand): boolean {
  const program = path.posix.basename(command.words[0]?.text ?? "");
  if (NAMES_WITHOUT_RUNNING.has(program) || (program === "command" && /^-[vV]$/.test(command.words[1]?.text ?? ""))) return false;
  // `trap ACTION SIGNALS`: the action is a script of its own (`trap "pkill redis-server" TERM` starts none).
  if (program === "trap") return readShellScript(command.words[1]?.text ?? "", {}).commands.some((c) => mentionsServer(c) || c.exec);
  return command.words.some((w) => w.text.split(/[ \t\n;&|]+/).some((token) => serverOfBinary(path.posix.basename(token)) !== undefined));
}

/** Programs that name a server without running it (`echo "starting redis-server"`, `pgrep redis-server`). */
const NAMES_WITHOUT_RUNNING = new Set(["echo", "printf", "logger", ":", "test", "[", "[[", "pgrep", "pidof", "pkill", "killall", "kill", "which", "type", "grep", "ps", "chown", "chmod", "ls", "stat", "redis-cli", "valkey-cli", "whereis"]);

// A script run (or sourced) before the server, given among the files, that may start one itself or
// change its settings: it starts a server, runs `exec`, runs `redis-cli config set`, or writes a
// `.conf` file (or one whose name is not known).
function changesStart(command: ShellCommand, ctx: Context, where: string): boolean {
  const [first, second] = command.words;
  const sourced = first?.text === "." || first?.text === "source";
  const viaShell = SHELLS.has(path.posix.basename(first?.text ?? "")) && second !== undefined && !second.text.startsWith("-");
  const file = sourced || viaShell ? second : first;
  if (!file || file.unresolved || !(file.text.startsWith("/") || file.text.startsWith("./") || file.text.endsWith(".sh"))) return false;
  const text = ctx.findScript(file.text, where);
  if (text === undefined) return false;
  // A config by its name: `.conf`, `.cfg`, `.cnf`, `.ini`, one under a redis or valkey path, or one not known.
  const confLike = (w: ShellWord | undefined): boolean => w !== undefined && (w.unresolved || /\.(conf|cfg|cnf|ini)$/i.test(w.text) || /redis|valkey/i.test(w.text.replace(/^of=/, "")));
  return readShellScript(text, ctx.env).commands.some((c) => {
    const words = unwrapped(c.words);
    const program = path.posix.basename(words[0]?.text ?? "");
    const operands = words.slice(1).filter((w) => !w.text.startsWith("-"));
    return (
      mentionsServer(c) ||
      (c.exec && c.words.length > 0) ||
      configSet(c) ||
      readsCommands(c) ||
      (sourced && ["cd", "pushd", "popd"].includes(program)) ||
      c.redirects.some((r) => r.op.startsWith(">") && confLike(r.target)) ||
      (["cp", "mv", "install", "tee", "ln", "rsync", "sed", "perl", "curl", "wget", "dd"].includes(program) && operands.some((w) => confLike(program === "dd" ? (w.text.startsWith("of=") ? w : undefined) : w)))
    );
  });
}

// `sh <<EOF`, `echo ... | redis-cli`, `bash < /conf/more.sh`: a shell or redis-cli reading commands the reader does not see.
function readsCommands(c: ShellCommand): boolean {
  const program = path.posix.basename(c.words[0]?.text ?? "");
  const input = c.previous === "|" || c.redirects.some((r) => r.op.startsWith("<"));
  return input && (SHELLS.has(program) || /^(redis|valkey)-cli$/.test(program));
}

// `redis-cli ... config set ...`.
function configSet(c: ShellCommand): boolean {
  return /^(redis|valkey)-cli$/.test(path.posix.basename(c.words[0]?.text ?? "")) && c.words.some((w, i) => /^config$/i.test(w.text) && /^set$/i.test(c.words[i + 1]?.text ?? ""));
}

// Whether a command, through exec wrappers and inits, starts a server (or Bitnami's run.sh).
function startsServer(words: string[]): boolean {
  let rest = words;
  for (let i = 0; i < 8 && rest.length > 0; i++) {
    const base = path.posix.basename(rest[0] as string);
    if (serverOfBinary(base) !== undefined || base === "redis-sentinel" || /^\/opt\/bitnami\/scripts\/(redis|valkey)\/run\.sh$|^\/run\.sh$/.test(rest[0] as string)) return true;
    if (!EXEC_WRAPPERS.has(base) && !INITS.has(base)) return false;
    rest = afterWrapper(base, rest.slice(1));
  }
  return false;
}

// What a wrapper runs: after `--`, or after its options (and a user, and env's VAR=value words).
function afterWrapper(base: string, rest: string[]): string[] {
  const dashdash = rest.indexOf("--");
  if (dashdash >= 0 && (base === "setpriv" || INITS.has(base))) return rest.slice(dashdash + 1);
  let i = 0;
  while (i < rest.length && (rest[i] ?? "").startsWith("-")) i += rest[i] === "-n" || (base === "exec" && rest[i] === "-a") ? 2 : 1;
  if (TAKES_USER.has(base)) i++;
  if (base === "env") while (i < rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i] ?? "")) i++;
  return rest.slice(i);
}

function pid1Of(chain: Chain, directWhy: string): Pid1 {
  const process = chain.pid1 ?? "redis-server";
  switch (chain.delivery) {
    case "direct":
    case "group":
      return { process, sigterm: "reaches-server", reason: [...chain.why, directWhy].join("; ") };
    case "maybe":
      return { process, sigterm: "maybe", reason: chain.why.join("; ") };
    case "never":
      return { process, sigterm: "never", reason: chain.why.join("; ") };
  }
}
