import { versionLabel } from "./format.js";
import { markdownTable } from "./markdown-table.js";
import type { MatrixReport } from "./report.js";
import { versionTable } from "./version-table.js";

/** report.md's side-by-side section: one column per version, changed cells in bold, the rule stated. Empty for one version. */
export function versionsMarkdown(report: MatrixReport): string[] {
  if (report.versions.length < 2 || !report.comparison) return [];
  const table = versionTable(report);
  const changed = report.comparison.changed.length;
  return [
    "## Versions side by side",
    "",
    `Verdict and acknowledged writes lost (loss window) per mode and fault; **bold**: changed from the version to its left. ${report.comparison.rule}`,
    "",
    // A column that would stay empty is left out.
    ...markdownTable(
      ["mode", "fault", ...table.versions.map(versionLabel), ...(changed > 0 ? ["what changed"] : [])],
      table.rows.map((row) => [row.mode, row.fault, ...row.entries.map((e) => (e.change ? `**${e.text}**` : e.text)), ...(changed > 0 ? [row.changes.join("; ")] : [])]),
      3 + table.versions.length,
    ),
    "",
    changed === 0 ? "No cell changed between versions, by the rule above." : `${changed} change(s) between versions.`,
    "",
  ];
}
