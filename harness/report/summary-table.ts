import { formatBytes, formatMs, formatRate, formatStat, formatVerdict } from "./format.js";
import type { MatrixReport, ReportCell, Stat } from "./report.js";

/** The summary table every rendering shares: headers and one row of text per cell. */
export interface SummaryTable {
  headers: string[];
  rows: string[][];
}

/**
 * Columns: verdict and loss first (what a config is chosen for), then cost (recovery, throughput, disk).
 * With `spread`, figures over several repetitions read "median (min-max)"; without, just the median.
 */
export function summaryTable(report: MatrixReport, spread = true): SummaryTable {
  return {
    headers: ["mode", "fault", "verdict", "acked", "lost", "loss window", "gaps", "corrupt", "recovery", "writes/s", "p50", "p99", "data dir"],
    rows: report.cells.map((cell) => summaryRow(cell, spread)),
  };
}

/** One cell as the text of the summary table's columns. */
export function summaryRow(cell: ReportCell, spread = true): string[] {
  const f = cell.figures;
  const latency = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  const show = (stat: Stat, format: (value: number) => string = (v) => String(Math.round(v))): string => (spread ? formatStat(stat, format) : format(stat.median));
  return [
    cell.mode,
    cell.fault,
    verdictText(cell),
    show(f.acknowledged),
    show(f.lostAcknowledged),
    show(f.lossWindowMs, formatMs),
    show(f.gaps),
    show(f.corrupted),
    show(f.recoveryMs, formatMs),
    show(f.opsPerSecond, formatRate),
    show(f.p50Ms, latency),
    show(f.p99Ms, latency),
    show(f.dataDirBytes, formatBytes),
  ];
}

/** "valid", or "VIOLATED", or "unstable (valid, VIOLATED)" when repetitions disagree. */
export function verdictText(cell: ReportCell): string {
  if (!cell.consistent) return `unstable (${cell.verdicts.map(formatVerdict).join(", ")})`;
  return formatVerdict(cell.verdict);
}
