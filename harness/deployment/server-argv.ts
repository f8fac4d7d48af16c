import { splitArgs } from "../gate/parse-conf.js";
import { DeploymentError } from "./deployment-error.js";
import type { Finding } from "./deployment.js";

/** What redis-server's main() makes of its argv: the config file, stdin, and the option lines it appends after the file. */
export interface ServerArgv {
  /** argv[1] when it does not start with "-" (7.0.1+) or "--" (before). */
  configFile?: { path: string; index: number };
  /** `-` as the first or last argument: config read from stdin, which the readers cannot see. */
  stdin: boolean;
  /** One line per `--name`, as main() builds it (name, then each argument quoted by sdscatrepr), with the argv index of the `--name` and the argv words it spans. */
  options: { index: number; text: string; words: string[] }[];
  findings: Finding[];
}

/**
 * Rebuilds the option text redis-server's main() appends after the config file (src/server.c,
 * "Parse command line options"): every `--name` starts a new line with the name as written, and
 * each following word is appended quoted by sdscatrepr, so that `--save ""` is `save ""` and
 * `--save 60 1 --save 300 10` two save lines. Since 7.0.1 (redis PR 10660) a bare `--name` takes
 * the next word as its value even when it starts with `--` (`--requirepass --x`), except `--save`
 * and `--sentinel` before another flag or at the end, which get an empty value; before 7.0.1
 * every `--` word starts a new option. `serverVersion` is a Redis version ("7.0.15"), "valkey ..."
 * or undefined (read as the newest Redis). Pure.
 */
export function readServerArgv(argv: string[], serverVersion?: string): ServerArgv {
  const first = argv[1];
  if (first === "-v" || first === "--version" || first === "-h" || first === "--help" || first === "--test-memory" || first === "--check-system") {
    throw new DeploymentError("bad-command", `\`${argv.join(" ")}\` does not start a server: ${first} prints and exits`);
  }
  const modern = parsesLikeModernMain(serverVersion);
  const result: ServerArgv = { stdin: false, options: [], findings: [] };
  let j = 1;
  if (first !== undefined && (modern ? !first.startsWith("-") : !first.startsWith("--"))) {
    if (first === "-") result.stdin = true;
    else result.configFile = { path: first, index: 1 };
    j = 2;
  }
  let handledLast = true;
  let current: { index: number; text: string; words: string[] } | undefined;
  let orphan = false;
  for (; j < argv.length; j++) {
    const arg = argv[j] as string;
    const last = j === argv.length - 1;
    if (arg === "-" && (j === 1 || last)) {
      result.stdin = true;
      continue;
    }
    if (!modern && arg === "--check-rdb") continue;
    if ((modern ? handledLast : true) && arg.startsWith("--")) {
      current = { index: j, text: `${arg.slice(2)} `, words: [arg] };
      result.options.push(current);
      if (!modern) continue;
      const words = splitCount(arg);
      if (words === 1) {
        handledLast = false;
        const nextIsFlag = !last && (argv[j + 1] ?? "").startsWith("--");
        if (nextIsFlag && arg.toLowerCase() === "--save") {
          current.text += '""';
          handledLast = true;
        } else if (last && arg.toLowerCase() === "--save") {
          current.text += '""';
        } else if (nextIsFlag && arg.toLowerCase() === "--sentinel") {
          handledLast = true;
        }
      } else handledLast = true;
      continue;
    }
    if (!current) {
      if (!orphan) {
        result.findings.push({
          id: "argument-before-flags",
          severity: "danger",
          message: `\`${arg}\` (argument ${j}) follows no --flag${result.configFile ? " and is not the config file (only the first argument can be)" : ""}: redis-server reads it as a directive of its own and refuses to start`,
          fix: "put the config file first and every setting after it as `--name value`",
          at: `argument ${j}`,
        });
        orphan = true;
      }
      current = { index: j, text: "", words: [] };
      result.options.push(current);
    }
    if (!result.configFile && j > 1 && /\.conf$/.test(arg) && current.words.length >= 2) {
      result.findings.push({
        id: "config-file-after-flag",
        severity: "danger",
        message: `\`${arg}\` comes after \`--${current.text.split(" ")[0]}\`: redis-server takes it as one more argument of that flag, not as its config file (only the first argument is), and the file is never read`,
        fix: `put the config file right after the binary: \`redis-server ${arg} ...\``,
        at: `argument ${j}`,
      });
    }
    current.text += `${sdscatrepr(arg)} `;
    current.words.push(arg);
    handledLast = true;
  }
  for (const option of result.options) option.text = option.text.replace(/ $/, "");
  return result;
}

/** Whether main() parses flags the 7.0.1 way (a bare `--name` takes the next word whatever it is). */
export function parsesLikeModernMain(serverVersion: string | undefined): boolean {
  if (serverVersion === undefined || /valkey/i.test(serverVersion)) return true;
  const [major = 0, minor = 0, patch = 0] = serverVersion.split(".").map((p) => Number.parseInt(p, 10) || 0);
  return major > 7 || (major === 7 && (minor > 0 || patch >= 1));
}

/** sdscatrepr: the argument in double quotes, with \\ \" \n \r \t \a \b escaped and other control bytes as \xHH. */
export function sdscatrepr(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

// How many words sdssplitargs finds in one argv entry ("--port 6380" is two); 0 when its quotes do not balance.
function splitCount(arg: string): number {
  return splitArgs(arg)?.length ?? 0;
}

/** The argv words of a flag as a user would type them: `--save ""`, `--appendonly yes`. */
export function flagText(words: string[]): string {
  return words.map((w) => (w === "" ? '""' : /[\s"'\\]/.test(w) ? JSON.stringify(w) : w)).join(" ");
}
