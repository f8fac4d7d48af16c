import { UsageError } from "./exit-codes.js";

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000 };

/** Parses "0", "500ms", "1s", "1.5s", "2m" into ms; a bare number other than 0 needs a unit. */
export function parseDurationMs(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|min)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${option} ${text}: not a duration; write e.g. 0, 500ms, 1s or 2m`);
  const value = Number(match[1]);
  if (match[2] === undefined) {
    if (value === 0) return 0;
    throw new UsageError(`${option} ${text}: give a unit, e.g. ${text}s or ${text}ms`);
  }
  return Math.round(value * (UNITS_MS[match[2]] ?? 1));
}

/** Parses a comma-separated list and checks every item against the known names. */
export function parseNameList(option: string, text: string, known: readonly string[]): string[] {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} is empty; known values: ${known.join(", ")}`);
  for (const item of items) {
    if (!known.includes(item)) throw new UsageError(`${option}: unknown value "${item}"; known values: ${known.join(", ")}`);
  }
  return [...new Set(items)];
}

/** Parses a whole number >= `min`. */
export function parseWholeNumber(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min) throw new UsageError(`${option} ${text}: expected a whole number of at least ${min}`);
  return value;
}

/** Parses "5000" or "5k" writes per second. */
export function parseRate(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`${option} ${text}: expected writes per second, e.g. 5000 or 5k`);
  return Math.round(Number(match[1]) * (match[2] ? 1000 : 1));
}

/** Parses a size in MiB: "64", "64MiB", "1GiB". */
export function parseMiB(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(mib|mb|m|gib|gb|g)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`${option} ${text}: expected a size in MiB, e.g. 64 or 1GiB`);
  const gib = match[2] !== undefined && match[2].toLowerCase().startsWith("g");
  return Number(match[1]) * (gib ? 1024 : 1);
}
