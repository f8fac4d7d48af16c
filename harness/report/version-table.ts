import { formatWindow, versionLabelOf } from "./format.js";
import { lossCategory } from "./compare-versions.js";
import type { ChangedCell, MatrixReport, ReportCell, ReportVersion } from "./report.js";
import { verdictText } from "./summary-table.js";

/** One version's entry in a row of the side-by-side table. */
export interface VersionEntry {
  version: ReportVersion;
  /** Absent when the cell did not run on that version. */
  cell?: ReportCell;
  text: string;
  /** How it changed from the version before it, by the comparison rule, in words; absent when it did not. */
  change?: string;
}

/** One mode x fault across the versions. */
export interface VersionRow {
  mode: string;
  fault: string;
  entries: VersionEntry[];
  /** Every change of the row: "6.0.16 -> 7.0.15: lost none -> 1,204, loss window 0 ms -> 1.2 s". */
  changes: string[];
}

/** The side-by-side comparison every rendering shares: a column per version, a row per mode x fault. */
export interface VersionTable {
  versions: ReportVersion[];
  rows: VersionRow[];
}

/** "valid, none lost", "valid, 7,012 lost (1 s)", "VIOLATED, all lost". */
export function versionCellText(cell: ReportCell): string {
  const category = lossCategory(cell);
  const lost = cell.figures.lostAcknowledged.median;
  const loss =
    category === "none" ? "none lost" : category === "all" ? "all lost" : `${Math.round(lost).toLocaleString("en-US")} lost (${formatWindow(cell.figures)})`;
  return `${verdictText(cell)}, ${loss}`;
}

/** Builds the side-by-side table from a report's cells and its comparison. */
export function versionTable(report: MatrixReport): VersionTable {
  const changed = report.comparison?.changed ?? [];
  const label = (id: string): string => versionLabelOf(report.versions, id);
  const describe = (c: ChangedCell): string => `${label(c.from)} -> ${label(c.to)}: ${c.changes.map((change) => change.text).join(", ")}`;
  const rows = report.modes.flatMap(({ mode }) =>
    report.faults.map(({ name: fault }): VersionRow => {
      const mine = changed.filter((c) => c.mode === mode && c.fault === fault);
      const entries = report.versions.map((version): VersionEntry => {
        const cell = report.cells.find((c) => c.mode === mode && c.fault === fault && c.version === version.id);
        const change = mine.find((c) => c.to === version.id);
        return { version, ...(cell ? { cell } : {}), text: cell ? versionCellText(cell) : "not run", ...(change ? { change: describe(change) } : {}) };
      });
      return { mode, fault, entries, changes: mine.map(describe) };
    }),
  );
  return { versions: report.versions, rows };
}
