import type { ShutdownSteps } from "./grace-contract.js";

/**
 * What one grace cell costs on the reference machine (2 CPUs, ext4 on a virtio disk, Redis 7.0.15),
 * measured there: preloading 1 GiB took 3.9 s without an AOF and 31 s with one (every SET is
 * appended, then the AOF is rewritten); a BGSAVE of 1 GiB 13 s; a final SAVE 0.85 s at 64 MiB, 2.0 s
 * (rdb) to 4.8 s (rdb-aof) at 256 MiB and 21 s at 1 GiB (fsynced: the disk's speed, not memory's);
 * loading 1 GiB back 4.6-5.6 s. Times in ms per MiB, and a fixed part per cell (container start,
 * 2.5 s of writes, read back, removal).
 */
export const REFERENCE_RATES = {
  preloadMsPerMiB: 4,
  preloadWithAofMsPerMiB: 32,
  snapshotMsPerMiB: 13,
  finalSaveMsPerMiB: 20,
  loadMsPerMiB: 5.5,
  fixedMs: 5_000,
} as const;

/** The rates as the sweep prints them before it starts. */
export function describeRates(rates = REFERENCE_RATES): string {
  const perSecond = (msPerMiB: number): string => `${Math.round(1000 / msPerMiB)} MiB/s`;
  return (
    `preload ${perSecond(rates.preloadMsPerMiB)} (${perSecond(rates.preloadWithAofMsPerMiB)} with an AOF), ` +
    `BGSAVE ${perSecond(rates.snapshotMsPerMiB)}, final save ${perSecond(rates.finalSaveMsPerMiB)} (fsynced), load ${perSecond(rates.loadMsPerMiB)}`
  );
}

/** One cell to estimate: its mode's shutdown steps, dataset and grace. */
export interface EstimatedCell {
  steps: ShutdownSteps;
  datasetMiB: number;
  graceMs: number;
}

/** Expected duration of one grace cell at the reference rates (ms). Pure. */
export function expectedCellMs(cell: EstimatedCell, rates = REFERENCE_RATES): number {
  const mib = cell.datasetMiB;
  const preload = mib * (cell.steps.aof ? rates.preloadWithAofMsPerMiB : rates.preloadMsPerMiB);
  const snapshot = cell.steps.finalSave && !cell.steps.aof ? mib * rates.snapshotMsPerMiB : 0;
  // Docker counts whole seconds and kills at the end of the grace; the shutdown cannot take longer.
  const stop = Math.min(cell.graceMs + 500, (cell.steps.finalSave ? mib * rates.finalSaveMsPerMiB : 0) + 300);
  return Math.round(rates.fixedMs + preload + snapshot + stop + mib * rates.loadMsPerMiB);
}

/** Expected duration of a whole sweep (ms). Pure. */
export function expectedSweepMs(cells: readonly EstimatedCell[], rates = REFERENCE_RATES): number {
  return cells.reduce((sum, cell) => sum + expectedCellMs(cell, rates), 0);
}

/**
 * Remaining time once some cells ran: the expected time of those left, scaled by how the finished
 * ones compared with their expectation (a slower disk shows in the first cells). Pure.
 */
export function remainingSweepMs(done: readonly { expectedMs: number; durationMs: number }[], upcoming: readonly EstimatedCell[], rates = REFERENCE_RATES): number {
  const expectedDone = done.reduce((sum, d) => sum + d.expectedMs, 0);
  const actualDone = done.reduce((sum, d) => sum + d.durationMs, 0);
  const scale = expectedDone > 0 ? actualDone / expectedDone : 1;
  return Math.round(expectedSweepMs(upcoming, rates) * scale);
}
