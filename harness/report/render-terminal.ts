import { formatBound, formatMs, versionLabel, versionLabelOf } from "./format.js";
import { graceTerminal } from "./render-grace.js";
import type { MatrixReport } from "./report.js";
import { shardProvenance } from "./shard-provenance.js";
import { summaryTable } from "./summary-table.js";
import { versionTable } from "./version-table.js";

/** The summary table (side by side when several versions ran) and the recommendation as plain aligned text for a terminal. */
export function renderTerminal(report: MatrixReport): string {
  const run = report.run;
  const repetitions = `${run.repetitions} repetition(s)` + (run.repetitions > 1 ? ": figures are medians (min and max are in report.md/.html/.json)" : "");
  const servers = report.versions.map((v) => `${versionLabel(v)} on ${v.image} (${v.imageOrigin})`);
  const out =
    report.versions.length > 1
      ? [`${report.versions.length} versions: ${servers.join(", ")}; ${run.datasetMiB} MiB preloaded, ${repetitions}`, "", ...sideBySide(report), ""]
      : [`${servers.join("")}, ${run.datasetMiB} MiB preloaded, ${repetitions}`, "", ...figuresTable(report), ""];
  const provenance = shardProvenance(report);
  if (provenance !== undefined) out.unshift(provenance, "");
  if (report.baseline) {
    const several = report.versions.length > 1;
    out.push(
      `harness writers vs redis-benchmark (${report.baseline.clients} clients, ${report.baseline.valueBytes}-byte values, same port): median ratio ${report.baseline.ratio}`,
      ...report.baseline.modes.map(
        (m) =>
          `  ${several ? `${versionLabelOf(report.versions, m.version).padEnd(13)} ` : ""}${m.mode.padEnd(14)} harness ${String(m.harnessOpsPerSecond).padStart(6)}/s  redis-benchmark ${String(m.benchmarkOpsPerSecond).padStart(6)}/s  ratio ${m.ratio}`,
      ),
      "",
    );
  }
  if (report.grace) out.push(...graceTerminal(report.grace));
  const rec = report.recommendation;
  out.push(`Recommendation (max loss ${formatMs(rec.needs.maxLossMs)}, min ${rec.needs.minOpsPerSecond} writes/s${report.versions.length > 1 ? ", on every version" : ""}):`, `  ${rec.summary}`);
  for (const mode of rec.modes) {
    out.push(`  ${mode.qualifies ? "yes" : "no "} ${mode.mode.padEnd(14)} documented ${formatBound(mode.documentedLossMs).padEnd(9)} ${mode.reasons.join("; ")}`);
  }
  return `${out.join("\n")}\n`;
}

function figuresTable(report: MatrixReport): string[] {
  const { headers, rows, textColumns } = summaryTable(report, false);
  return aligned(headers, rows, textColumns);
}

function sideBySide(report: MatrixReport): string[] {
  const table = versionTable(report);
  const changed = report.comparison?.changed.length ?? 0;
  const headers = ["mode", "fault", ...table.versions.map(versionLabel), ...(changed > 0 ? ["what changed (* in the table)"] : [])];
  const rows = table.rows.map((row) => [row.mode, row.fault, ...row.entries.map((e) => `${e.change ? "* " : ""}${e.text}`), ...(changed > 0 ? [row.changes.join("; ")] : [])]);
  return [
    ...aligned(headers, rows, headers.length),
    "",
    changed === 0 ? "No cell changed between versions." : `${changed} change(s) between versions, marked *.`,
    `Rule: ${report.comparison?.rule ?? ""}`,
    "Every figure of every version: report.md, report.html, report.json.",
  ];
}

// Figures read best right-aligned; names and verdicts left-aligned.
function aligned(headers: string[], rows: string[][], textColumns: number): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
