import { formatBound, formatMs } from "./format.js";
import type { MatrixReport } from "./report.js";
import { summaryTable } from "./summary-table.js";

/** The summary table and the recommendation as plain aligned text for a terminal. */
export function renderTerminal(report: MatrixReport): string {
  const { headers, rows } = summaryTable(report, false);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  // Figures read best right-aligned; names and verdicts left-aligned.
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  const run = report.run;
  const out = [
    `Redis ${run.serverVersion} on ${run.image} (${run.imageOrigin}), ${run.datasetMiB} MiB preloaded, ${run.repetitions} repetition(s)` +
      (run.repetitions > 1 ? ": figures are medians (min and max are in report.md/.html/.json)" : ""),
    "",
    line(headers),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
  ];
  if (report.baseline) {
    out.push(
      `harness writers vs redis-benchmark (${report.baseline.clients} clients, ${report.baseline.valueBytes}-byte values, same port): median ratio ${report.baseline.ratio}`,
      ...report.baseline.modes.map((m) => `  ${m.mode.padEnd(14)} harness ${String(m.harnessOpsPerSecond).padStart(6)}/s  redis-benchmark ${String(m.benchmarkOpsPerSecond).padStart(6)}/s  ratio ${m.ratio}`),
      "",
    );
  }
  const rec = report.recommendation;
  out.push(`Recommendation (max loss ${formatMs(rec.needs.maxLossMs)}, min ${rec.needs.minOpsPerSecond} writes/s):`, `  ${rec.summary}`);
  for (const mode of rec.modes) {
    out.push(`  ${mode.qualifies ? "yes" : "no "} ${mode.mode.padEnd(14)} documented ${formatBound(mode.documentedLossMs).padEnd(9)} ${mode.reasons.join("; ")}`);
  }
  return `${out.join("\n")}\n`;
}
