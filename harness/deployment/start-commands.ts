import path from "node:path";
import type { Deployment, Finding } from "./deployment.js";
import type { CommandBefore } from "./launch.js";
import type { ShellCommand, ShellWord } from "./shell-script.js";
import { readShellScript } from "./shell-script.js";
import { globToRegExp } from "./conf-reader.js";
import type { DataFileNames } from "./storage.js";
import { dataFileNamesOf, dataPathsIn, isUnder } from "./storage.js";

/** Commands that touch no file (shell builtins and tests), not named as "run before the server". */
const INERT = new Set(["echo", "printf", "set", "export", "test", "[", "[[", "]", "]]", ":", "true", "false", "sleep", "unset", "shift", "local", "readonly", "fi", "done", "esac", "}", "then", "else", "cd", "ulimit", "umask", "trap", "wait"]);
/** Programs that remove, move over or truncate the files they are given. */
const REMOVERS = new Set(["rm", "mv", "truncate", "shred", "unlink", "rmdir"]);

/** File tools that change only the paths they are given: not named when none of those is at or above the data dir, or in it. */
const FILE_TOOLS = new Set(["cp", "mkdir", "chmod", "chown", "ln", "touch", "cat", "sed", "install"]);

// Whether every argument of a command is known and none is the data dir, above it or in it.
function awayFrom(c: ShellCommand, dir: string, cwd: string): boolean {
  return c.words.slice(1).every((w) => !w.unresolved && (w.text.startsWith("-") || !(isUnder(path.posix.resolve(cwd, w.text), dir) || isUnder(dir, path.posix.resolve(cwd, w.text)))));
}

// The script's name, where `at` (a line of the compose file or manifest) does not say it.
const inScript = (where: string): string => (/:\d+/.test(where) ? "" : ` (in ${where})`);

const text = (c: ShellCommand): string => [...c.words.map((w) => w.text), ...c.redirects.map((r) => `${r.op} ${r.target.text}`)].join(" ");

// Whether `arg` (resolved against cwd) takes Redis's files with it: it names the data dir or a directory above it, a data file (or the AOF dir), or is a glob in one of those that matches a data file's name.
function hits(arg: ShellWord, dir: string, cwd: string, names: DataFileNames): boolean {
  if (arg.unresolved || arg.text === "") return false;
  const resolved = path.posix.resolve(cwd, arg.text);
  const parts = resolved.split("/");
  const glob = parts.findIndex((p) => /[*?[]/.test(p));
  const dataPaths = dataPathsIn(dir, names);
  if (glob === -1) return isUnder(dir, resolved) || dataPaths.some((p) => isUnder(p, resolved));
  const base = parts.slice(0, glob).join("/") || "/";
  // A glob in a directory above the data dir, or inside the AOF dir.
  if ((isUnder(dir, base) && base !== path.posix.normalize(dir)) || dataPaths.some((p) => isUnder(base, p))) return true;
  if (glob === parts.length - 1) {
    const re = globToRegExp(parts[glob] as string);
    return [dir, ...dataPaths].some((p) => path.posix.dirname(p) === base && re.test(path.posix.basename(p)));
  }
  return [dir, ...dataPaths].some((p) => isUnder(p, base));
}

/**
 * What of a command removes or truncates Redis's files in `dir`, or undefined: `rm`, `mv`,
 * `truncate`, `shred`, `unlink`, `rmdir` on the dir or a directory above it, on a data file or
 * the AOF dir, or on a glob matching one (`/data/*`; `/data/lost+found` and `/data/*.tmp` are not);
 * `find ... -delete` (or `-exec rm`) from there; a `>` redirection to a file there. Pure.
 */
export function removesIn(command: ShellCommand, dir: string, cwd: string, names: DataFileNames): string | undefined {
  const words = command.words;
  const program = path.posix.basename(words[0]?.text ?? "");
  const truncated = command.redirects.find((r) => (r.op === ">" || r.op === ">|") && hits(r.target, dir, cwd, names));
  if (truncated) return `${truncated.op} ${truncated.target.text}`;
  if (REMOVERS.has(program) && words.slice(1).some((w) => !w.text.startsWith("-") && hits(w, dir, cwd, names))) return text(command);
  if (program === "find") {
    const starts = words.slice(1).filter((w, i, all) => all.slice(0, i + 1).every((x) => !/^[-(!]/.test(x.text)));
    const deletes = words.some((w) => w.text === "-delete") || words.some((w, i) => (w.text === "-exec" || w.text === "-execdir") && REMOVERS.has(path.posix.basename(words[i + 1]?.text ?? "")));
    if (deletes && (starts.length === 0 ? [{ text: ".", unresolved: false }] : starts).some((w) => hits(w, dir, cwd, names))) return text(command);
  }
  return undefined;
}

/** Programs that write the file named by their last argument (cp SRC DST, envsubst-free copies and links). */
const WRITES_LAST = new Set(["cp", "mv", "install", "ln", "rsync"]);

/**
 * What of a command writes one of the config files Redis reads (`configPaths`, as the container
 * sees them), or undefined: a `>`, `>>` or `>|` redirection to it, `tee`, `sed -i` or `perl -pi` on it, or
 * `cp`/`mv`/`install`/`ln` onto it. An unresolved target (`> $CONF`) counts when its file name
 * could be one of them: the gate cannot tell. Pure.
 */
export function writesConfig(command: ShellCommand, configPaths: string[], cwd: string, followedCopies: ReadonlyMap<string, string> = new Map()): string | undefined {
  const is = (w: ShellWord | undefined): boolean => {
    if (!w || w.text === "") return false;
    if (w.unresolved) return /\.conf$/.test(w.text) || /\$\{?[A-Z_]*CONF/i.test(w.text);
    const resolved = path.posix.resolve(cwd, w.text);
    // An included wildcard (`/etc/redis.d/*.conf`): any file written there that it matches is read too.
    const matches = (p: string): boolean => /[*?[]/.test(path.posix.basename(p)) && path.posix.dirname(p) === path.posix.dirname(resolved) && globToRegExp(path.posix.basename(p)).test(path.posix.basename(resolved));
    return configPaths.some((p) => p === resolved || matches(p));
  };
  const redirect = command.redirects.find((r) => r.op.startsWith(">") && is(r.target));
  if (redirect) return `${redirect.op} ${redirect.target.text}`;
  const words = unwrapped(command.words);
  const program = path.posix.basename(words[0]?.text ?? "");
  const operands = words.slice(1).filter((w) => !w.text.startsWith("-"));
  // Into the directory a config file Redis reads is in, under its name: `cp /profiles/cache/redis.conf
  // /usr/local/etc/redis/`; a glob, an unknown name or a recursive copy may bring it too.
  const recursive = words.some((w) => /^-[a-zA-Z]*[rRa]/.test(w.text) || w.text === "--recursive" || w.text === "--archive");
  const isDirOfConfig = (w: ShellWord | undefined): boolean =>
    w !== undefined &&
    !w.unresolved &&
    w.text !== "" &&
    configPaths.some(
      (p) =>
        path.posix.dirname(p) === path.posix.resolve(cwd, w.text) &&
        operands.slice(0, -1).some((src) => {
          const name = path.posix.basename(src.text);
          const wanted = path.posix.basename(p);
          return recursive || src.unresolved || /[*?[]|\{[^}]*,/.test(src.text) || name === wanted || (/[*?[]/.test(wanted) && globToRegExp(wanted).test(name));
        }),
    );
  if (program === "tee" && operands.some(is)) return text(command);
  // Downloads: `curl -o FILE`, `wget -O FILE`.
  if ((program === "curl" || program === "wget") && words.some((w, i) => /^(-[a-zA-Z]*[oO]|--output|--output-document)$/.test(words[i - 1]?.text ?? "") && is(w))) return text(command);
  if ((program === "sed" || program === "perl") && words.some((w) => /^-[a-zA-Z]*i|^--in-place/.test(w.text)) && operands.some(is)) return text(command);
  const target = operands[operands.length - 1];
  // A copy the launch reader followed (Bitnami's mounted-etc -> etc) was read from its source: the gate read what Redis reads.
  const followed = target !== undefined && !target.unresolved && followedCopies.has(path.posix.resolve(cwd, target.text));
  if (WRITES_LAST.has(program) && operands.length >= 2 && (is(target) || isDirOfConfig(target)) && !followed) return text(command);
  return undefined;
}

/** The directory the server starts in: the container's, moved by each `cd` the scripts run before it; `unknown` names the command when that cannot be told. Pure. */
export function serverCwd(before: CommandBefore[], workingDir: string): { cwd: string; unknown?: string } {
  let cwd = workingDir;
  const stack: string[] = [];
  for (const [i, { command, where }] of before.entries()) {
    const program = command.words[0]?.text ?? "";
    if (command.subshell || !["cd", "pushd", "popd"].includes(program)) continue;
    let args = command.words.slice(1);
    while (args[0] && /^-[LPe@]+$/.test(args[0].text)) args = args.slice(1);
    if (args[0]?.text === "--") args = args.slice(1);
    const target = args[0];
    // `mkdir -p d && cd d && exec redis-server`: on the path where the server starts, the cd ran.
    const chainedToServer = command.next === "&&" && before.slice(i + 1).filter((b) => b.where === where).every((b) => b.command.next === "&&");
    if (command.conditional !== undefined && !(command.conditional === "after `&&`" && chainedToServer)) return { cwd, unknown: text(command) };
    if (program === "popd" && target === undefined && stack.length > 0) {
      cwd = stack.pop() as string;
      continue;
    }
    if (program === "popd" || target === undefined || target.unresolved || target.text === "-" || target.text.startsWith("-") || /^[+-]\d/.test(target.text)) return { cwd, unknown: text(command) };
    if (program === "pushd") stack.push(cwd);
    cwd = path.posix.resolve(cwd, target.text);
  }
  return { cwd };
}

/** Programs that run the rest of their arguments as a command (after their options, and a user for the first three). */
const WRAPPERS = new Set(["gosu", "su-exec", "chpst", "nice", "nohup", "ionice", "stdbuf", "sudo", "doas", "runuser"]);

/** A command without the wrappers in front of it: `gosu redis sed -i ...` is a sed. Pure. */
export function unwrapped(words: ShellWord[]): ShellWord[] {
  let rest = words;
  for (let n = 0; n < 4 && WRAPPERS.has(path.posix.basename(rest[0]?.text ?? "")); n++) {
    const base = path.posix.basename(rest[0]?.text ?? "");
    let i = 1;
    while (i < rest.length && (rest[i]?.text ?? "").startsWith("-")) i += /^-(u|g|n)$/.test(rest[i]?.text ?? "") ? 2 : 1;
    if (["gosu", "su-exec", "chpst"].includes(base)) i++;
    if (rest[i]?.text === "--") i++;
    rest = rest.slice(i);
  }
  return rest;
}

/**
 * Findings for what a shell runs before the server: each command that touches files is named
 * (`commands-before-server`, a warning: not judged); one that removes or truncates files in the
 * data dir is a danger (`start-empties-data-dir`): every start empties the data dir; one that
 * writes a config file Redis reads (`configPaths`) is a danger too (`start-rewrites-config`): the
 * settings Redis starts with are not the ones the gate read. `cd` moves the directory relative
 * paths resolve against. Pure.
 */
export function commandsBeforeFindings(before: CommandBefore[], dataDir: string, workingDir: string, names: DataFileNames, configPaths: string[] = [], followedCopies: ReadonlyMap<string, string> = new Map()): Finding[] {
  const findings: Finding[] = [];
  let cwd = workingDir;
  const stack: string[] = [];
  const named: CommandBefore[] = [];
  for (const b of before) {
    const program = path.posix.basename(b.command.words[0]?.text ?? "");
    if ((program === "cd" || program === "pushd") && b.command.words[1] && !b.command.words[1].unresolved) {
      if (program === "pushd") stack.push(cwd);
      cwd = path.posix.resolve(cwd, b.command.words[1].text);
    }
    if (program === "popd") cwd = stack.pop() ?? cwd;
    const removes = removesIn(b.command, dataDir, cwd, names);
    const rewrites = writesConfig(b.command, configPaths, cwd, followedCopies);
    if (rewrites !== undefined) {
      findings.push({
        id: "start-rewrites-config",
        severity: "danger",
        message: `the shell runs \`${text(b.command)}\` before redis-server${inScript(b.where)}: it changes the config file Redis reads (\`${rewrites}\`), so the settings Redis starts with are not the ones the gate read`,
        fix: "write those settings in the file itself, or as flags after it (`redis-server FILE --name value`), so the gate reads what Redis reads",
        at: b.where,
      });
    }
    if (removes !== undefined) {
      findings.push({
        id: "start-empties-data-dir",
        severity: "danger",
        message: `the shell runs \`${text(b.command)}\` before redis-server${inScript(b.where)}: every start empties the data dir ${dataDir} (\`${removes}\`), so every restart loses every write`,
        fix: `remove \`${text(b.command)}\` from the start command`,
        at: b.where,
      });
    } else if (rewrites === undefined && ((!INERT.has(program) && !(FILE_TOOLS.has(program) && awayFrom(b.command, dataDir, cwd))) || b.command.redirects.some((r) => r.op.startsWith(">")))) named.push(b);
  }
  const byWhere = new Map<string, string[]>();
  for (const b of named) byWhere.set(b.where, [...(byWhere.get(b.where) ?? []), `\`${text(b.command)}\``]);
  for (const [where, commands] of byWhere) {
    findings.push({
      id: "commands-before-server",
      severity: "warning",
      message: `the shell runs ${commands.join(", ")} before redis-server${inScript(where)}: not judged`,
      fix: "check by hand that none of them changes the data dir",
      at: where,
    });
  }
  return findings;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Kubernetes initContainers that mount the volume under the Redis container's data dir: each
 * gets a warning naming its command (`init-container-on-data`); one whose command removes or
 * truncates files in the data dir, as the init container sees it (its own mountPath and
 * subPath), is a danger (`init-container-empties-data-dir`): every new pod empties the claim.
 * `at` gives the line of a path below the pod spec. Pure.
 */
export function initContainerFindings(pod: Obj, container: Obj, d: Pick<Deployment, "dataDir" | "storage" | "directives" | "server" | "version">, file: string, at: (p: (string | number)[]) => string): Finding[] {
  const inits = Array.isArray(pod.initContainers) ? pod.initContainers : [];
  const own = (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).filter(isObj);
  const dataMount = d.storage.mountPath === undefined || !d.dataDir.onStorage ? undefined : own.find((vm) => String(vm.mountPath) === d.storage.mountPath);
  if (!dataMount) return [];
  const volume = String(dataMount.name);
  const subPathOf = (vm: Obj): string => (typeof vm.subPath === "string" ? vm.subPath : "");
  // The data dir as a path inside the volume.
  const inVolume = path.posix.join("/", subPathOf(dataMount), path.posix.relative(String(dataMount.mountPath), d.dataDir.path));
  const names = dataFileNamesOf(d);
  const findings: Finding[] = [];
  inits.forEach((ic, i) => {
    if (!isObj(ic)) return;
    const mounts = (Array.isArray(ic.volumeMounts) ? ic.volumeMounts : []).filter(isObj).filter((vm) => String(vm.name) === volume);
    if (mounts.length === 0) return;
    const argv = [...(Array.isArray(ic.command) ? ic.command : []), ...(Array.isArray(ic.args) ? ic.args : [])].map(String);
    const name = `initContainer ${String(ic.name)}`;
    const where = at(["initContainers", i]);
    const commands = commandsOf(argv);
    const removes = mounts.flatMap((vm) => {
      const root = path.posix.join("/", subPathOf(vm));
      if (!isUnder(inVolume, root)) return [];
      const seen = path.posix.join(String(vm.mountPath), path.posix.relative(root, inVolume));
      let cwd = typeof ic.workingDir === "string" ? ic.workingDir : "/";
      return commands.flatMap((c) => {
        if (path.posix.basename(c.words[0]?.text ?? "") === "cd" && c.words[1] && !c.words[1].unresolved) cwd = path.posix.resolve(cwd, c.words[1].text);
        const hit = removesIn(c, seen, cwd, names);
        return hit === undefined ? [] : [{ hit, seen }];
      });
    });
    const shown = argv.length > 0 ? `\`${argv.map((w) => (/[\s*?]/.test(w) ? JSON.stringify(w) : w)).join(" ")}\`` : `the entrypoint of ${String(ic.image ?? "its image")}`;
    const mountedAt = mounts.map((vm) => String(vm.mountPath)).join(", ");
    const first = removes[0];
    findings.push(
      first
        ? {
            id: "init-container-empties-data-dir",
            severity: "danger",
            message: `${name} (${file}) mounts the data dir's volume ${volume} at ${mountedAt} and runs ${shown}, which removes the files of the data dir (${first.seen} there, \`${first.hit}\`): every new pod empties the claim before Redis starts`,
            fix: `remove the removal from ${name}, or do not mount ${volume} in it`,
            at: where,
          }
        : {
            id: "init-container-on-data",
            severity: "warning",
            message: `${name} (${file}) mounts the data dir's volume ${volume} at ${mountedAt} and runs ${shown} before Redis starts: not judged`,
            fix: `check by hand that ${name} leaves the data dir alone, or do not mount ${volume} in it`,
            at: where,
          },
    );
  });
  return findings;
}

// The simple commands an argv runs: a shell's `-c` script read as one, anything else as itself.
function commandsOf(argv: string[]): ShellCommand[] {
  const base = path.posix.basename(argv[0] ?? "");
  const flag = ["sh", "bash", "ash", "dash", "zsh", "ksh"].includes(base) ? argv.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w)) : -1;
  const script = flag >= 0 ? argv[flag + 1] : undefined;
  if (script !== undefined) return readShellScript(script, {}, argv.slice(flag + 3)).commands;
  return argv.length > 0 ? [{ words: argv.map((t) => ({ text: t, unresolved: false })), exec: false, next: "", previous: "", redirects: [], uncertain: [] }] : [];
}
