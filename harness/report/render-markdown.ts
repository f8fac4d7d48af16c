import { formatBound, formatMs, formatRate, versionLabel, versionLabelOf } from "./format.js";
import { FAILOVER_NOTE, hasFailoverCells } from "./failover-section.js";
import { markdownTable } from "./markdown-table.js";
import { graceMarkdown } from "./render-grace.js";
import { versionsMarkdown } from "./render-markdown-versions.js";
import type { MatrixReport } from "./report.js";
import { shardProvenance } from "./shard-provenance.js";
import { summaryTable } from "./summary-table.js";


function provenance(report: MatrixReport): string[] {
  const line = shardProvenance(report);
  return line === undefined ? [] : [`**${line}**`, ""];
}

/** report.md: the run, the summary table, the baseline, the recommendation and the contracts' sources. */
export function renderMarkdown(report: MatrixReport): string {
  const { headers, rows, textColumns } = summaryTable(report);
  const run = report.run;
  const several = report.versions.length > 1;
  const servers = report.versions.map((v) => `${versionLabel(v)} on \`${v.image}\` (${v.imageOrigin})`);
  const out: string[] = [
    "# Redis persistence matrix",
    "",
    `${several ? `${report.versions.length} versions: ` : ""}${servers.join(", ")}; ${run.datasetMiB} MiB preloaded per case; ` +
      `${run.workload.clients} clients (${run.workload.depth} writes in flight each) writing ${run.workload.valueBytes}-byte padded records for ${formatMs(run.workload.writeBeforeMs)}; ` +
      `${run.repetitions} repetition(s)${run.repetitions > 1 ? " (figures: median (min-max))" : ""}; ${report.cells.length} cells in ${formatMs(run.wallTimeMs)}; ` +
      `generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version} (schema v${report.schemaVersion}).`,
    "",
    ...provenance(report),
    ...versionsMarkdown(report),
    "## Every cell",
    "",
    ...markdownTable(headers, rows, textColumns),
    "",
    "Loss window: per client, the time between its last acknowledged write and its last acknowledged write that survived; the worst client counts. " +
      "A client none of whose acknowledged writes survived lost everything since the run began: \"all lost\" or \"unbounded\", never a window. " +
      "Recovery: from starting the server again to data loaded and served.",
    "",
    ...(hasFailoverCells(report) ? [FAILOVER_NOTE, ""] : []),
  ];
  const broken = report.cells.filter((c) => (c.verdict !== true && c.verdict !== "not-applicable") || !c.consistent);
  const notApplicable = report.cells.filter((c) => c.verdict === "not-applicable" && c.consistent);
  if (notApplicable.length > 0) {
    out.push("## Not applicable (not counted as passed)", "");
    for (const cell of notApplicable) out.push(`- **${cell.mode} x ${cell.fault}**${several ? ` on ${cell.serverVersion}` : ""}: ${cell.reasons.join("; ")}`);
    out.push("");
  }
  if (broken.length > 0) {
    out.push("## Contracts that did not hold", "");
    for (const cell of broken) {
      out.push(`- **${cell.mode} x ${cell.fault}**${several ? ` on ${cell.serverVersion}` : ""} (expected: ${cell.contractText}): ${cell.reasons.join("; ") || "repetitions disagree"}`);
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
      ...markdownTable(
        [...(several ? ["version"] : []), "mode", "harness", "redis-benchmark", "ratio", "harness p50", "benchmark p50"],
        b.modes.map((m) => [...(several ? [versionLabelOf(report.versions, m.version)] : []), m.mode, formatRate(m.harnessOpsPerSecond), formatRate(m.benchmarkOpsPerSecond), String(m.ratio), `${m.harnessP50Ms} ms`, m.benchmarkP50Ms === null ? "n/a" : `${m.benchmarkP50Ms} ms`]),
        several ? 2 : 1,
      ),
      "",
    );
  }
  const rec = report.recommendation;
  out.push(
    "## Recommendation",
    "",
    `Stated needs: lose at most **${formatMs(rec.needs.maxLossMs)}**, sustain at least **${formatRate(rec.needs.minOpsPerSecond)}**` +
      `${several ? " on every version run (figures over all of them)" : ""}.`,
    "",
    rec.summary,
    "",
    ...markdownTable(
      ["mode", "qualifies", "why", "measured loss", "documented", "power loss", "writes/s"],
      rec.modes.map((m) => [
        m.mode,
        m.qualifies ? "yes" : "no",
        m.reasons.join("; "),
        formatBound(m.worstMeasuredLossMs),
        formatBound(m.documentedLossMs),
        formatBound(m.powerLossMs),
        `${formatRate(m.opsPerSecond)} (${m.rateSource === "redis-benchmark" ? "redis-benchmark" : "harness writers"})`,
      ]),
    ),
    "",
  );
  if (rec.excludedFaults.length > 0) {
    out.push(...rec.excludedFaults.map((e) => `Not considered: ${e.fault}: ${e.why}.`), "");
  }
  if (report.grace) out.push(...graceMarkdown(report.grace));
  out.push("## Where the contracts come from", "");
  const sources = [...new Set(report.cells.map((c) => c.contractSource))];
  out.push(...sources.map((s) => `- ${s}`), "");
  return out.join("\n");
}
