import { DIRECTIVE_VERSIONS } from "./directive-versions.js";
import type { ImageServer } from "./server-version.js";
import { compareVersions } from "./server-version.js";
import { parseConf } from "./parse-conf.js";

/** What a config file alone says about the server it was written for. */
export interface ConfServerHint {
  flavor: ImageServer["flavor"];
  /** Why Valkey: "line 29 uses `dual-channel-replication-enabled`, which only Valkey knows". */
  flavorReason?: string;
  /** For a stock file (its first line says so), the oldest release that knows every directive it lists, active or commented out: "6.0.10". */
  writtenFor?: string;
  /** "a stock redis.conf listing `ignore-warnings` (Redis >= 6.0.10)". */
  writtenForReason?: string;
  /** The directives it sets, lower-cased. */
  directives: string[];
}

// The first line of every stock redis.conf (redis/redis) and valkey.conf (valkey-io/valkey).
const STOCK_HEADER = /^#\s*(Redis|Valkey) configuration file example/i;
const HEADER_LINES = 10;

/**
 * Reads which server a config was written for: Valkey when it sets a directive only Valkey knows
 * (directive-versions.ts) or carries valkey.conf's first line, else Redis; and, for a stock file, the
 * release it comes from at the earliest, from the newest directive it lists (a stock file lists,
 * commented out, every directive of its release). Pure.
 */
export function confServerHint(text: string): ConfServerHint {
  const directives = parseConf(text).directives;
  const lines = text.split("\n");
  const header = lines.slice(0, HEADER_LINES).map((l) => STOCK_HEADER.exec(l.trim())?.[1]).find((h) => h !== undefined);
  const valkeyOnly = directives.find((d) => DIRECTIVE_VERSIONS[d.name]?.redis === null && DIRECTIVE_VERSIONS[d.name]?.valkey !== null);
  const flavor = valkeyOnly || header?.toLowerCase() === "valkey" ? "valkey" : "redis";
  const flavorReason = valkeyOnly ? `line ${valkeyOnly.line} uses \`${valkeyOnly.name}\`, which only Valkey knows` : flavor === "valkey" ? "its first line is valkey.conf's" : undefined;
  const hint: ConfServerHint = { flavor, ...(flavorReason !== undefined ? { flavorReason } : {}), directives: directives.map((d) => d.name) };
  if (header === undefined) return hint;
  let newest: { name: string; since: string } | undefined;
  for (const name of [...hint.directives, ...lines.flatMap(commentedOutName)]) {
    const row = Object.hasOwn(DIRECTIVE_VERSIONS, name) ? DIRECTIVE_VERSIONS[name] : undefined;
    const since = row ? (flavor === "valkey" ? row.valkey : row.redis) : null;
    if (since && (!newest || compareVersions(since, newest.since) > 0)) newest = { name, since };
  }
  if (!newest) return hint;
  const server = flavor === "valkey" ? "Valkey" : "Redis";
  return { ...hint, writtenFor: newest.since, writtenForReason: `a stock ${flavor}.conf listing \`${newest.name}\` (${server} >= ${newest.since})` };
}

// "# tls-session-caching no" names tls-session-caching; prose ("# Note that ...") names no directive of the table.
function commentedOutName(line: string): string[] {
  const name = /^#\s?([a-z][a-z-]+)\s/.exec(line)?.[1];
  return name !== undefined && Object.hasOwn(DIRECTIVE_VERSIONS, name) ? [name] : [];
}
