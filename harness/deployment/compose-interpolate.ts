import { DeploymentError } from "./deployment-error.js";

/** Variables compose substituted with an empty string because nothing set them (compose warns "The X variable is not set"). */
export interface Interpolation {
  unset: Set<string>;
}

/**
 * Substitutes compose variables in one string as compose-go's template package does: `$$` is a
 * literal `$`; `$VAR` and `${VAR}`; `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
 * `${VAR:+alt}`/`${VAR+alt}`; `${VAR:?message}`/`${VAR?message}` fail when unset (or empty) with
 * compose's "required variable VAR is missing a value: message"; defaults may nest `${...}`;
 * an unset variable without default is "" (recorded in `state.unset`). A malformed `${...}` is
 * compose's "Invalid template"; a `$` before anything else ("$1") stays as written.
 */
export function interpolate(text: string, env: Record<string, string>, state: Interpolation, where: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch !== "$") {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    const named = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(text.slice(i + 1));
    if (named) {
      out += lookup(named[0], env, state);
      i += 1 + named[0].length;
      continue;
    }
    if (next === "{") {
      const end = closingBrace(text, i + 1);
      if (end === -1) throw invalid(text, where);
      const body = text.slice(i + 2, end);
      out += braced(body, env, state, where, text);
      i = end + 1;
      continue;
    }
    // compose-go's pattern does not match a `$` before anything else ("$1", "$ "): it stays.
    out += "$";
    i++;
  }
  return out;
}

function braced(body: string, env: Record<string, string>, state: Interpolation, where: string, whole: string): string {
  const match = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
  if (!match) throw invalid(whole, where);
  const name = match[1] as string;
  const op = match[2];
  const rest = match[3] ?? "";
  const value = env[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== "";
  switch (op) {
    case undefined:
      return lookup(name, env, state);
    case ":-":
      return nonEmpty ? (value as string) : interpolate(rest, env, state, where);
    case "-":
      return set ? (value as string) : interpolate(rest, env, state, where);
    case ":+":
      return nonEmpty ? interpolate(rest, env, state, where) : "";
    case "+":
      return set ? interpolate(rest, env, state, where) : "";
    case ":?":
    case "?":
      if (op === ":?" ? nonEmpty : set) return value as string;
      throw new DeploymentError(
        "interpolation",
        `${where}: required variable ${name} is missing a value${rest ? `: ${interpolate(rest, env, state, where)}` : ""} (compose refuses the file): pass it with --env ${name}=...`,
      );
    default:
      throw invalid(whole, where);
  }
}

function lookup(name: string, env: Record<string, string>, state: Interpolation): string {
  const value = env[name];
  if (value === undefined) {
    state.unset.add(name);
    return "";
  }
  return value;
}

// The `}` closing the `{` at `open`, counting nested `${`.
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function invalid(text: string, where: string): DeploymentError {
  return new DeploymentError("interpolation", `${where}: Invalid template: ${JSON.stringify(text)} (compose refuses the file; write \`$$\` for a literal $)`);
}

/** Interpolates every string value of a parsed compose file (keys are left as written), as compose does before reading it. */
export function interpolateTree(value: unknown, env: Record<string, string>, state: Interpolation, where: (path: string[]) => string, path: string[] = []): unknown {
  if (typeof value === "string") return interpolate(value, env, state, where(path));
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, env, state, where, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, interpolateTree(v, env, state, where, [...path, k])]));
  }
  return value;
}

/** A .env file as compose reads it: KEY=VALUE lines, `#` comments, optional `export `, quotes stripped ('...' literal, "..." with \n). */
export function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] as string).trim();
    if (/^'.*'$/s.test(value)) value = value.slice(1, -1);
    else if (/^".*"$/s.test(value)) value = value.slice(1, -1).replace(/\\n/g, "\n").replace(/\\"/g, '"');
    else value = value.replace(/\s+#.*$/, "");
    env[match[1] as string] = value;
  }
  return env;
}
