import { formatBound, formatMs, formatRate } from "./format.js";
import type { MatrixReport } from "./report.js";
import { summaryTable } from "./summary-table.js";

/** report.md: the run, the summary table, the baseline, the recommendation and the contracts' sources. */
export function renderMarkdown(report: MatrixReport): string {
  const { headers, rows } = summaryTable(report);
  const run = report.run;
  const cellText = (text: string): string => text.replace(/\|/g, "\\|");
  const table = (head: string[], body: string[][], textColumns = 3): string[] => [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i < textColumns ? "---" : "---:")).join(" | ")} |`,
    ...body.map((r) => `| ${r.map(cellText).join(" | ")} |`),
  ];
  const out: string[] = [
    "# Redis persistence matrix",
    "",
    `Redis ${run.serverVersion} on \`${run.image}\` (${run.imageOrigin}); ${run.datasetMiB} MiB preloaded per case; ` +
      `${run.workload.clients} clients (${run.workload.depth} writes in flight each) writing ${run.workload.valueBytes}-byte padded records for ${formatMs(run.workload.writeBeforeMs)}; ` +
      `${run.repetitions} repetition(s)${run.repetitions > 1 ? " (figures: median (min-max))" : ""}; ${report.cells.length} cells in ${formatMs(run.wallTimeMs)}; ` +
      `generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version} (schema v${report.schemaVersion}).`,
    "",
    "## Every cell",
    "",
    ...table(headers, rows),
    "",
    "Loss window: per client, the time between its last acknowledged write and its last acknowledged write that survived; the worst client counts. " +
      "Recovery: from starting the server again to data loaded and served.",
    "",
  ];
  const broken = report.cells.filter((c) => c.verdict !== true || !c.consistent);
  if (broken.length > 0) {
    out.push("## Contracts that did not hold", "");
    for (const cell of broken) {
      out.push(`- **${cell.mode} x ${cell.fault}** (expected: ${cell.contractText}): ${cell.reasons.join("; ") || "repetitions disagree"}`);
      for (const dir of cell.artifactsDirs) out.push(`  - artifacts: \`${dir}\``);
    }
    out.push("");
  }
  if (report.baseline) {
    const b = report.baseline;
    out.push(
      "## Harness writers vs redis-benchmark",
      "",
      `Same image, same server, same published port, ${b.clients} clients, ${b.valueBytes}-byte values. Median ratio: **${b.ratio}**.`,
      "",
      ...table(
        ["mode", "harness", "redis-benchmark", "ratio", "harness p50", "benchmark p50"],
        b.modes.map((m) => [m.mode, formatRate(m.harnessOpsPerSecond), formatRate(m.benchmarkOpsPerSecond), String(m.ratio), `${m.harnessP50Ms} ms`, m.benchmarkP50Ms === null ? "n/a" : `${m.benchmarkP50Ms} ms`]),
        1,
      ),
      "",
    );
  }
  const rec = report.recommendation;
  out.push(
    "## Recommendation",
    "",
    `Stated needs: lose at most **${formatMs(rec.needs.maxLossMs)}**, sustain at least **${formatRate(rec.needs.minOpsPerSecond)}**.`,
    "",
    rec.summary,
    "",
    ...table(
      ["mode", "qualifies", "why", "measured loss", "documented", "power loss", "writes/s"],
      rec.modes.map((m) => [
        m.mode,
        m.qualifies ? "yes" : "no",
        m.reasons.join("; "),
        formatMs(m.worstMeasuredLossMs),
        formatBound(m.documentedLossMs),
        formatBound(m.powerLossMs),
        formatRate(m.medianOpsPerSecond),
      ]),
    ),
    "",
  );
  if (rec.excludedFaults.length > 0) {
    out.push(...rec.excludedFaults.map((e) => `Not considered: ${e.fault}: ${e.why}.`), "");
  }
  out.push("## Where the contracts come from", "");
  const sources = [...new Set(report.cells.map((c) => c.contractSource))];
  out.push(...sources.map((s) => `- ${s}`), "");
  return out.join("\n");
}
