import { splitMultiArg, splitsQuotedMultiArg } from "./multi-arg.js";

/** One directive of a redis.conf: its line number (1-based), lower-cased name, arguments and text. */
export interface Directive {
  line: number;
  name: string;
  args: string[];
  /** The line as written, trimmed. */
  text: string;
}

/** A line Redis would refuse to read, or one the gate cannot follow. */
export interface ConfProblem {
  line: number;
  text: string;
  message: string;
}

/** A redis.conf as Redis reads it: directives in order, lines it would reject, lines the gate does not support. */
export interface ParsedConf {
  directives: Directive[];
  /** Lines Redis itself rejects before looking at the directive (unbalanced quotes). */
  errors: ConfProblem[];
  /** Lines the gate cannot follow, e.g. `include` of another file. */
  unsupported: ConfProblem[];
}

/**
 * Parses redis.conf text the way Redis does (config.c): one directive per line, trimmed, `#` starts
 * a comment only at the start of a line, arguments split by sdssplitargs' quoting rules, and a
 * single quoted argument of a multi-value directive split again as `serverVersion` does (default:
 * Redis 7). Pure.
 */
export function parseConf(text: string, serverVersion?: string): ParsedConf {
  const splitAgain = splitsQuotedMultiArg(serverVersion);
  const parsed: ParsedConf = { directives: [], errors: [], unsupported: [] };
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const args = splitArgs(trimmed);
    if (!args) {
      parsed.errors.push({ line, text: trimmed, message: "Unbalanced quotes in configuration line" });
      return;
    }
    const [first, ...rest] = args;
    if (first === undefined) return;
    const name = first.toLowerCase();
    const directive: Directive = { line, name, args: splitAgain ? splitMultiArg(name, rest, splitArgs) : rest, text: trimmed };
    parsed.directives.push(directive);
    if (directive.name === "include") {
      parsed.unsupported.push({ line, text: trimmed, message: "`include` pulls in another file the gate cannot see: inline the included directives into this file" });
    }
  });
  return parsed;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\n" || ch === "\r" || ch === "\t" || ch === "\v" || ch === "\f";
}

/** sdssplitargs: null on unbalanced quotes or a closing quote not followed by a space. Exported for tests. */
export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return args;
    let inDouble = false;
    let inSingle = false;
    let current = "";
    for (;;) {
      const ch = line[i];
      if (inDouble) {
        if (ch === undefined) return null;
        const hex = line.slice(i + 2, i + 4);
        if (ch === "\\" && line[i + 1] === "x" && /^[0-9a-fA-F]{2}$/.test(hex)) {
          current += String.fromCharCode(parseInt(hex, 16));
          i += 3;
        } else if (ch === "\\" && line[i + 1] !== undefined) {
          const next = line[i + 1] as string;
          current += SIMPLE_ESCAPES[next] ?? next;
          i++;
        } else if (ch === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          inDouble = false;
          i++;
          break;
        } else current += ch;
      } else if (inSingle) {
        if (ch === undefined) return null;
        if (ch === "\\" && line[i + 1] === "'") {
          current += "'";
          i++;
        } else if (ch === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          inSingle = false;
          i++;
          break;
        } else current += ch;
      } else {
        // Unquoted, sdssplitargs ends a token only at these four (not at \v or \f).
        if (ch === undefined || ch === " " || ch === "\n" || ch === "\r" || ch === "\t") break;
        if (ch === '"') inDouble = true;
        else if (ch === "'") inSingle = true;
        else current += ch;
      }
      i++;
    }
    args.push(current);
  }
}
