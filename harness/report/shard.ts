/** One slice of a matrix: shard `index` (1-based) of `of`. */
export interface Shard {
  index: number;
  of: number;
}

/** A cell as the plan names it: the version id, the row (mode or deployed server) and the fault. */
export interface PlannedCell {
  version: string;
  mode: string;
  fault: string;
}

/** The key a cell is known by across shards and in the merged report (names may hold "/", ":" or spaces). */
export function cellKey(cell: PlannedCell): string {
  return JSON.stringify([cell.version, cell.mode, cell.fault]);
}

/** Every cell a matrix plans, in run order: versions, then rows, then faults. */
export function plannedCells(versions: readonly string[], modes: readonly string[], faults: readonly string[]): PlannedCell[] {
  return versions.flatMap((version) => modes.flatMap((mode) => faults.map((fault) => ({ version, mode, fault }))));
}

/**
 * The cells shard K of N runs: every N-th planned cell, starting at the K-th. Round robin rather than
 * contiguous blocks, so each shard gets a share of every fault (power loss and short grace are the
 * slow ones) and the shards take about as long. Deterministic: the same plan gives the same slices.
 */
export function shardCells(planned: readonly PlannedCell[], shard: Shard): PlannedCell[] {
  return planned.filter((_, i) => i % shard.of === shard.index - 1);
}

/**
 * The (version, row) pairs whose redis-benchmark baseline shard K runs: each pair once over all shards,
 * round robin over the shards that hold at least one of the pair's cells, so no shard measures a row
 * it did not run. Returns JSON keys of [version, mode].
 */
export function shardBaselines(planned: readonly PlannedCell[], shard: Shard): Set<string> {
  const rowKey = (c: PlannedCell): string => baselineKey(c.version, c.mode);
  const rows = [...new Set(planned.map(rowKey))];
  return new Set(
    rows.filter((row, i) => {
      const holders = [...new Set(planned.flatMap((c, k) => (rowKey(c) === row ? [(k % shard.of) + 1] : [])))].sort((a, b) => a - b);
      return holders[i % holders.length] === shard.index;
    }),
  );
}

/** The key shardBaselines uses for a (version, row) pair. */
export function baselineKey(version: string, mode: string): string {
  return JSON.stringify([version, mode]);
}

/** Reads "K/N" (1 <= K <= N); throws a message naming the option and what is accepted. */
export function parseShard(option: string, text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const of = match ? Number(match[2]) : NaN;
  if (!match || of < 1 || index < 1 || index > of) {
    throw new Error(`${option} "${text}" is not a shard: give K/N with 1 <= K <= N, e.g. 1/3, 2/3 and 3/3 for three CI jobs`);
  }
  return { index, of };
}
