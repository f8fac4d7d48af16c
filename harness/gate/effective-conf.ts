import path from "node:path";
import type { Directive, ParsedConf } from "./parse-conf.js";
import { DEFAULT_MAXMEMORY_POLICY, parseRedisBytes } from "./redis-memory.js";

/** One value as a config sets it; `line` is undefined when Redis's default applies. */
export interface Setting<T> {
  value: T;
  line?: number;
}

/** An RDB save point: snapshot after `seconds` when at least `changes` keys changed. */
export interface SavePoint {
  seconds: number;
  changes: number;
  line?: number;
}

/** A `rename-command` line: `to` is "" when the command is disabled. */
export interface RenamedCommand {
  command: string;
  to: string;
  line: number;
}

/** The settings a redis.conf amounts to, with Redis 7's defaults for what it leaves out. */
export interface EffectiveConf {
  savePoints: SavePoint[];
  /** Lines of the `save` directives; empty when the default save points apply. */
  saveLines: number[];
  /** `save` lines the server skips without a word (before Redis 7.0, any but one pair or `""`). */
  ignoredSaveLines: number[];
  appendonly: Setting<string>;
  appendfsync: Setting<string>;
  dir: Setting<string>;
  stopWritesOnBgsaveError: Setting<string>;
  aofLoadTruncated: Setting<string>;
  noAppendfsyncOnRewrite: Setting<string>;
  shutdownOnSigterm: Setting<string>;
  rdbchecksum: Setting<string>;
  protectedMode: Setting<string>;
  bind: Setting<string[]>;
  requirepass: Setting<string>;
  /** Lines that define ACL users or an ACL file (either can require authentication). */
  aclLines: number[];
  renamedCommands: RenamedCommand[];
  /** `maxmemory` in bytes; 0 (the default) is no limit; NaN when Redis would refuse the value. */
  maxmemory: Setting<number>;
  maxmemoryPolicy: Setting<string>;
}

/** The working directory of the official image (and ours): where a relative `dir` starts. */
export const IMAGE_WORKING_DIR = "/data";

/** Redis 7's save points when a config has no `save` line. */
export const DEFAULT_SAVE_POINTS: readonly SavePoint[] = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

/** What the server's version changes in how a config file reads. */
export interface ConfReading {
  /**
   * Up to Redis 6.0, main() resets the built-in save points before it loads a config file or
   * options (resetServerSaveParams), so a file with no `save` line has none; from 6.2 (PR 7767)
   * they stay until a `save` line replaces them.
   */
  dropsDefaultSavePoints?: boolean;
  /**
   * Before Redis 7.0 a config file's `save` line takes exactly one pair or `""` (config.c: `argc == 3`);
   * any other line (`save 900 1 300 10`, a trailing `# comment`, the one line `--save 60 1 300 10` makes)
   * is skipped silently, though in 6.2 the first one still clears the built-in points.
   */
  onePairPerSaveLine?: boolean;
}

/** Whether a server drops its built-in save points once a config file is given (Redis before 6.2). Pure. */
export function dropsDefaultSavePoints(flavor: "redis" | "valkey", version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return flavor === "redis" && (major < 6 || (major === 6 && minor < 2));
}

/** Whether a server's config file takes one save pair per line (Redis before 7.0). Pure. */
export function onePairPerSaveLine(flavor: "redis" | "valkey", version: string): boolean {
  const [major = 0] = version.split(".").map(Number);
  return flavor === "redis" && major < 7;
}

/** Folds directives into effective settings: the last line wins, `save` lines accumulate. Pure. */
export function effectiveConf(parsed: ParsedConf, reading: ConfReading = {}): EffectiveConf {
  const last = (name: string): Directive | undefined => parsed.directives.filter((d) => d.name === name).at(-1);
  const single = (name: string, fallback: string): Setting<string> => {
    const directive = last(name);
    return directive ? { value: (directive.args[0] ?? "").toLowerCase(), line: directive.line } : { value: fallback };
  };
  // A multi-value enum (`shutdown-on-sigterm nosave now`): every flag counts, not only the first.
  const flags = (name: string, fallback: string): Setting<string> => {
    const directive = last(name);
    return directive ? { value: directive.args.join(" ").toLowerCase(), line: directive.line } : { value: fallback };
  };
  const saves = parsed.directives.filter((d) => d.name === "save");
  const skipped = reading.onePairPerSaveLine ? saves.filter((d) => d.args.length !== 2 && !(d.args.length === 1 && d.args[0] === "")) : [];
  const bind = last("bind");
  const requirepass = last("requirepass");
  const dir = last("dir");
  const maxmemory = last("maxmemory");
  return {
    savePoints: saves.length === 0 ? (reading.dropsDefaultSavePoints ? [] : [...DEFAULT_SAVE_POINTS]) : savePointsOf(saves.filter((d) => !skipped.includes(d))),
    saveLines: saves.map((d) => d.line),
    ignoredSaveLines: skipped.map((d) => d.line),
    appendonly: single("appendonly", "no"),
    appendfsync: single("appendfsync", "everysec"),
    dir: dir ? { value: foldedDir(parsed.directives.filter((d) => d.name === "dir")), line: dir.line } : { value: "./" },
    stopWritesOnBgsaveError: single("stop-writes-on-bgsave-error", "yes"),
    aofLoadTruncated: single("aof-load-truncated", "yes"),
    noAppendfsyncOnRewrite: single("no-appendfsync-on-rewrite", "no"),
    shutdownOnSigterm: flags("shutdown-on-sigterm", "default"),
    rdbchecksum: single("rdbchecksum", "yes"),
    protectedMode: single("protected-mode", "yes"),
    bind: bind ? { value: bind.args, line: bind.line } : { value: ["*", "-::*"] },
    requirepass: requirepass ? { value: requirepass.args[0] ?? "", line: requirepass.line } : { value: "" },
    aclLines: parsed.directives.filter((d) => d.name === "user" || d.name === "aclfile").map((d) => d.line),
    renamedCommands: parsed.directives
      .filter((d) => d.name === "rename-command")
      .map((d) => ({ command: (d.args[0] ?? "").toUpperCase(), to: d.args[1] ?? "", line: d.line })),
    maxmemory: maxmemory ? { value: parseRedisBytes(maxmemory.args[0] ?? "") ?? NaN, line: maxmemory.line } : { value: 0 },
    maxmemoryPolicy: single("maxmemory-policy", DEFAULT_MAXMEMORY_POLICY),
  };
}

// Redis chdirs on every `dir` line, so a relative one lands where the one before it went; one line stays as written.
function foldedDir(dirs: Directive[]): string {
  if (dirs.length === 1) return dirs[0]?.args[0] ?? "";
  return dirs.reduce((cwd, d) => path.posix.resolve(cwd, d.args[0] ?? "."), IMAGE_WORKING_DIR);
}

// The first `save` line of a file replaces the defaults; `save ""` clears; others add pairs (Redis 7).
function savePointsOf(saves: Directive[]): SavePoint[] {
  let points: SavePoint[] = [];
  for (const directive of saves) {
    if (directive.args.length === 1 && directive.args[0] === "") {
      points = [];
      continue;
    }
    for (let i = 0; i + 1 < directive.args.length; i += 2) {
      points.push({ seconds: Number(directive.args[i]), changes: Number(directive.args[i + 1]), line: directive.line });
    }
  }
  return points;
}
