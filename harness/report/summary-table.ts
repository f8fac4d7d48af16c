import { formatBytes, formatMs, formatRate, formatStat, formatVerdict, versionLabelOf, formatWindow } from "./format.js";
import type { MatrixReport, ReportCell, Stat } from "./report.js";

/** The summary table every rendering shares: headers, one row of text per cell, and the cells in row order. */
export interface SummaryTable {
  headers: string[];
  rows: string[][];
  cells: ReportCell[];
  /** The leading columns that hold names rather than figures (the last of them is the verdict). */
  textColumns: number;
}

/**
 * Columns: verdict and loss first (what a config is chosen for), then cost (recovery, throughput, disk).
 * With `spread`, figures over several repetitions read "median (min-max)"; without, just the median.
 * With several versions a version column follows the fault, and a cell's versions are adjacent rows.
 */
export function summaryTable(report: MatrixReport, spread = true): SummaryTable {
  const several = report.versions.length > 1;
  const order = (c: ReportCell): number[] => [
    report.modes.findIndex((m) => m.mode === c.mode),
    report.faults.findIndex((f) => f.name === c.fault),
    report.versions.findIndex((v) => v.id === c.version),
  ];
  const cells = several ? [...report.cells].sort((a, b) => compareTuples(order(a), order(b))) : report.cells;
  // Failover cells differ by ack policy too: one mode x fault has a row per policy, told apart by this column.
  const failover = report.cells.some((c) => c.topology === "sentinel");
  const extra = [...(several ? ["version"] : []), ...(failover ? ["acks"] : [])];
  return {
    headers: ["mode", "fault", ...extra, "verdict", "acked", "lost", "loss window", "gaps", "corrupt", "recovery", "writes/s", "p50", "p99", "data dir"],
    rows: cells.map((cell) => {
      const [mode = "", fault = "", ...figures] = summaryRow(cell, spread);
      return [mode, fault, ...(several ? [versionLabelOf(report.versions, cell.version)] : []), ...(failover ? [cell.acks] : []), ...figures];
    }),
    cells,
    textColumns: 3 + extra.length,
  };
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
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
    formatWindow(f, spread),
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
