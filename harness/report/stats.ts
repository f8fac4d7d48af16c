import type { Stat } from "./report.js";

/** min, median and max of a figure over repetitions, rounded to 2 decimals. */
export function statOf(values: readonly number[]): Stat {
  if (values.length === 0) throw new Error("statOf needs at least one value: a cell always has one repetition");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { n: sorted.length, min: round2(sorted[0] as number), median: round2(median), max: round2(sorted.at(-1) as number) };
}

/** The median of a list (0 for an empty one). */
export function median(values: readonly number[]): number {
  return values.length === 0 ? 0 : statOf(values).median;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
