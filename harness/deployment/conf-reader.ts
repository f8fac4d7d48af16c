import path from "node:path";
import { parseConf } from "../gate/parse-conf.js";
import { DeploymentError } from "./deployment-error.js";
import type { DeploymentDirective, DirectiveOrigin, Finding } from "./deployment.js";
import { describeOrigin } from "./deployment.js";

/** A config file found for a path redis-server opens: its text and how to name it to the user. */
export interface FoundFile {
  text: string;
  /** The path shown in origins: the host file as given ("deploy/redis.conf"), or "ConfigMap redis-config key redis.conf". */
  display: string;
}

/**
 * Finds the files redis-server opens at a container path (the config file, an `include`): the
 * deployment's mounts, the given files, the disk. A path with a wildcard may find several or none
 * (Redis then skips the include); without one, a path that cannot be found throws a
 * DeploymentError naming it and how to pass it.
 */
export type FileFinder = (containerPath: string, referencedBy: string) => FoundFile[];

/** A config file's directives in order, each with its file and line. Lines Redis rejects (unbalanced quotes) are findings. */
export function readConfText(file: FoundFile, containerPath: string | undefined, serverVersion: string | undefined, includedFrom?: string): { directives: DeploymentDirective[]; findings: Finding[] } {
  const parsed = parseConf(file.text, serverVersion);
  const origin = (line: number): DirectiveOrigin => ({ kind: "file", file: file.display, line, ...(containerPath ? { containerPath } : {}), ...(includedFrom ? { includedFrom } : {}) });
  return {
    directives: parsed.directives.map((d) => ({ name: d.name, args: d.args, text: d.text, origin: origin(d.line) })),
    findings: parsed.errors.map((e) => ({ id: "conf-line-rejected", severity: "danger", message: `${e.message}: Redis refuses to start`, at: `${file.display}:${e.line}` })),
  };
}

/** The directives after `include` lines are replaced by the files they name, and the directory Redis is in at the end. */
export interface Expanded {
  directives: DeploymentDirective[];
  findings: Finding[];
  /** Every path an `include` names, resolved (a wildcard as written): a start script writing there changes what Redis reads. */
  includePaths: string[];
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Replaces every `include` (in a file or given as `--include`) by the directives of the file it
 * names, where it stands, as Redis's loadServerConfig does: a relative path is opened from the
 * directory Redis is in at that moment (its working directory, changed by every `dir` line read
 * before, since `dir` chdir()s at once), a wildcard path includes every match and none is no
 * error. Pure but for `find`.
 */
export function expandIncludes(directives: DeploymentDirective[], workingDir: string, find: FileFinder, serverVersion: string | undefined, depth = 0): Expanded {
  const out: DeploymentDirective[] = [];
  const findings: Finding[] = [];
  const includePaths: string[] = [];
  let cwd = workingDir;
  const walk = (list: DeploymentDirective[], level: number): void => {
    for (const directive of list) {
      if (directive.name === "dir" && directive.args[0] !== undefined) cwd = path.posix.resolve(cwd, directive.args[0]);
      if (directive.name !== "include" || directive.args.length !== 1) {
        out.push(directive);
        continue;
      }
      if (level >= MAX_INCLUDE_DEPTH) throw new DeploymentError("unsupported", `${describeOrigin(directive.origin)}: includes nest deeper than ${MAX_INCLUDE_DEPTH} levels (an include loop?)`);
      const written = directive.args[0] as string;
      const target = path.posix.resolve(cwd, written);
      includePaths.push(target);
      const referencedBy = describeOrigin(directive.origin);
      let files: FoundFile[];
      try {
        files = find(target, referencedBy);
      } catch (error) {
        if (error instanceof DeploymentError && error.code === "missing-file" && !written.startsWith("/")) {
          throw new DeploymentError("missing-file", `${error.message} (Redis opens a relative include from its working directory, ${cwd}, not from the including file's directory: write the full path)`, error.file);
        }
        throw error;
      }
      if (files.length === 0) {
        findings.push({ id: "include-matched-nothing", severity: "info", message: `\`${directive.text}\` matches no file: Redis skips it`, at: referencedBy });
      }
      for (const file of files) {
        const read = readConfText(file, target, serverVersion, referencedBy);
        findings.push(...read.findings);
        walk(read.directives, level + 1);
      }
    }
  };
  walk(directives, depth);
  return { directives: out, findings, includePaths };
}

/** Where Redis ends up writing: the working directory after every `dir` (each resolved against the one before), and the last `dir` line. */
export function dataDirOf(directives: DeploymentDirective[], workingDir: string): { path: string; origin?: DirectiveOrigin } {
  let cwd = workingDir;
  let origin: DirectiveOrigin | undefined;
  for (const d of directives) {
    if (d.name === "dir" && d.args[0] !== undefined) {
      cwd = path.posix.resolve(cwd, d.args[0]);
      origin = d.origin;
    }
  }
  return origin ? { path: cwd, origin } : { path: cwd };
}

/** A shell-style wildcard (`*`, `?`, `[...]`) of one path component as a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[" || ch === "]") re += ch;
    else re += ch.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
