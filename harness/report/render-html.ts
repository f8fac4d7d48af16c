import { escapeHtml as esc } from "./escape-html.js";
import { formatBound, formatMs, formatRate, formatStat, formatWindow, versionLabel, versionLabelOf } from "./format.js";
import { gridCell, stateOf } from "./html-cell.js";
import { failoverSection, hasFailoverCells } from "./failover-section.js";
import { graceHtml } from "./render-grace.js";
import { versionsSection } from "./render-html-versions.js";
import type { MatrixReport, ReportCell, Stat } from "./report.js";
import { shardProvenance } from "./shard-provenance.js";
import { summaryTable } from "./summary-table.js";
import type { Bar, BarChartSpec, Series } from "./svg-chart.js";
import { barChart } from "./svg-chart.js";
import { versionCharts } from "./version-charts.js";

const FAULT_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#edc948", "#9c755f"];
// Oldest to newest reads as light to dark within one hue family, then a contrasting one for a fork.
const VERSION_COLORS = ["#9ecae9", "#4e79a7", "#1d3f6e", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#9c755f"];

/** report.html: one self-contained page (inline CSS and SVG, no script, no network) with the verdict grid (side by side for several versions), charts, table and recommendation. */
export function renderHtml(report: MatrixReport): string {
  const several = report.versions.length > 1;
  const series: Series[] = several
    ? report.versions.map((v, i) => ({ name: v.id, color: VERSION_COLORS[i % VERSION_COLORS.length] as string }))
    : report.faults.map((f, i) => ({ name: f.name, color: FAULT_COLORS[i % FAULT_COLORS.length] as string }));
  const run = report.run;
  const title = `Redis persistence matrix: ${report.versions.map(versionLabel).join(" vs ")}`;
  const servers = report.versions
    .map((v) => `<b>${esc(versionLabel(v))}</b> on <code>${esc(v.image)}</code> (${esc(v.imageOrigin)})`)
    .join(", ");
  const provenance = shardProvenance(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(several ? `Redis persistence matrix: ${report.versions.length} versions side by side` : "Redis persistence matrix")}</h1>
<p class="meta">${servers} &middot; ${run.datasetMiB} MiB preloaded per case &middot;
${run.workload.clients} clients &middot; ${run.repetitions} repetition${run.repetitions === 1 ? "" : "s"}${run.repetitions > 1 ? " (figures: median, bars show min&ndash;max)" : ""} &middot;
${report.cells.length} cells in ${esc(formatMs(run.wallTimeMs))} &middot; ${esc(report.generatedAt)}</p>
${provenance === undefined ? "" : `<p class="meta"><strong>${esc(provenance)}</strong></p>`}
</header>
<main>
${recommendationSection(report)}
${several ? versionsSection(report) : hasFailoverCells(report) ? failoverSection(report) : verdictGrid(report)}
${several ? versionChartsSection(report, series) : faultChartsSection(report, series)}
${report.grace ? graceHtml(report.grace) : ""}
${fullTable(report)}
${baselineSection(report)}
${sourcesSection(report)}
</main>
<footer>${esc(report.tool.name)} ${esc(report.tool.version)} &middot; report schema v${report.schemaVersion} &middot; run ${esc(run.runId)} &middot; ${esc(run.host.platform)}, ${run.host.cpus} CPUs, Node ${esc(run.host.node)}</footer>
</body>
</html>
`;
}

function faultChartsSection(report: MatrixReport, series: Series[]): string {
  const run = report.run;
  return `<section id="charts">
<h2>Loss and cost, per mode and fault</h2>
${legend(series)}
<div class="charts">
<figure><figcaption>Loss window: how far back acknowledged writes were lost</figcaption>${barChart(lossChart(report, series))}</figure>
<figure><figcaption>Write throughput, ${run.workload.clients} clients, ${run.workload.depth} write${run.workload.depth === 1 ? "" : "s"} in flight each${report.baseline ? " (&#9660; redis-benchmark, same clients, pipeline depth and port)" : ""}</figcaption>${barChart(throughputChart(report, series))}</figure>
<figure><figcaption>Recovery: from start until the data is loaded and served (${run.datasetMiB} MiB preloaded)</figcaption>${barChart(recoveryChart(report, series))}</figure>
</div>
</section>`;
}

function versionChartsSection(report: MatrixReport, series: Series[]): string {
  const charts = versionCharts(report, series);
  const labelled = series.map((s) => ({ ...s, name: versionLabelOf(report.versions, s.name) }));
  const considered = report.recommendation.consideredFaults.join(", ");
  return `<section id="charts">
<h2>Loss and cost, per mode and version</h2>
${legend(labelled)}
<div class="charts">
<figure><figcaption>Worst loss window over ${esc(considered)}</figcaption>${barChart(charts.loss)}</figure>
<figure><figcaption>Median write throughput over the faults, ${report.run.workload.clients} clients, ${report.run.workload.depth} writes in flight each</figcaption>${barChart(charts.throughput)}</figure>
<figure><figcaption>Median recovery over the faults (${report.run.datasetMiB} MiB preloaded)</figcaption>${barChart(charts.recovery)}</figure>
</div>
</section>`;
}

function verdictGrid(report: MatrixReport): string {
  const modes = report.modes.map((m) => m.mode);
  const header = report.faults.map((f) => `<th scope="col" title="${esc(f.description)}">${esc(f.name)}</th>`).join("");
  const rows = modes.map((mode) => {
    const summary = report.modes.find((m) => m.mode === mode)?.summary ?? "";
    const cells = report.faults.map((fault) => {
      const cell = report.cells.find((c) => c.mode === mode && c.fault === fault.name);
      return cell ? gridCell(cell) : `<td class="cell empty">not run</td>`;
    });
    return `<tr><th scope="row"><span class="mode">${esc(mode)}</span><span class="summary">${esc(summary)}</span></th>${cells.join("")}</tr>`;
  });
  return `<section id="verdicts">
<h2>What each mode lost under each fault</h2>
<p class="hint">Green: the mode kept its documented promise under that fault; red: it did not; amber: the run could not tell (or the fault could not prove it bit); grey: not applicable (the fault has nothing to do in that mode; never counted as passed). Hover a cell for the contract and its source.</p>
<table class="grid"><thead><tr><th></th>${header}</tr></thead><tbody>${rows.join("\n")}</tbody></table>
</section>`;
}

function legend(series: Series[]): string {
  return `<p class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join("")}</p>`;
}

function chartOf(report: MatrixReport, series: Series[], title: string, pick: (c: ReportCell) => Stat, format: (v: number) => string, label?: (c: ReportCell) => string): BarChartSpec {
  return {
    title,
    series,
    format,
    groups: report.modes.map((m) => ({
      label: m.mode,
      bars: report.cells
        .filter((c) => c.mode === m.mode)
        .map((c): Bar => {
          const stat = pick(c);
          return {
            series: c.fault,
            value: stat.median,
            ...(stat.n > 1 ? { min: stat.min, max: stat.max } : {}),
            label: label ? label(c) : format(stat.median),
            title: `${c.mode} x ${c.fault}: ${formatStat(stat, format)}`,
          };
        }),
    })),
  };
}

// A total loss has no window: its bar reaches past the longest measured one and says "all lost".
function lossChart(report: MatrixReport, series: Series[]): BarChartSpec {
  const needs = report.recommendation.needs;
  const longest = Math.max(needs.maxLossMs, ...report.cells.map((c) => (c.figures.allLost ? 0 : (c.figures.lossWindowMs?.max ?? 0))));
  const unbounded = { n: 1, min: longest * 1.25, median: longest * 1.25, max: longest * 1.25 };
  const windowOf = (c: ReportCell): Stat => (c.figures.allLost || c.figures.lossWindowMs === null ? unbounded : c.figures.lossWindowMs);
  const spec = chartOf(report, series, "Loss window per mode and fault", windowOf, formatMs, (c) => formatWindow(c.figures));
  return { ...spec, threshold: { value: needs.maxLossMs, label: `max loss ${formatMs(needs.maxLossMs)}` } };
}

function throughputChart(report: MatrixReport, series: Series[]): BarChartSpec {
  const spec = chartOf(report, series, "Write throughput per mode and fault", (c) => c.figures.opsPerSecond, formatRate);
  const markers = (report.baseline?.modes ?? []).map((m) => ({ group: m.mode, value: m.benchmarkOpsPerSecond, label: `redis-benchmark: ${formatRate(m.benchmarkOpsPerSecond)}` }));
  const needs = report.recommendation.needs;
  return { ...spec, markers, threshold: { value: needs.minOpsPerSecond, label: `needed ${formatRate(needs.minOpsPerSecond)}` } };
}

function recoveryChart(report: MatrixReport, series: Series[]): BarChartSpec {
  return chartOf(report, series, "Recovery time per mode and fault", (c) => c.figures.recoveryMs, formatMs);
}

function fullTable(report: MatrixReport): string {
  const { headers, rows, cells, textColumns } = summaryTable(report);
  const several = report.versions.length > 1;
  const changed = new Set((report.comparison?.changed ?? []).map((c) => `${c.mode} x ${c.fault} on ${c.to}`));
  const body = rows.map((row, i) => {
    const cell = cells[i] as ReportCell;
    const state = stateOf(cell);
    const key = `${cell.mode} x ${cell.fault}${several ? ` on ${cell.version}` : ""}`;
    return `<tr data-row="${esc(key)}"${changed.has(key) ? ` class="changed" title="changed from the version before"` : ""}>${row.map((text, j) => (j === textColumns - 1 ? `<td class="${state}">${esc(text)}</td>` : `<td>${esc(text)}</td>`)).join("")}</tr>`;
  });
  return `<section id="table">
<h2>Every figure</h2>
<div class="scroll"><table class="figures${several ? " by-version" : ""}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body.join("\n")}</tbody></table></div>
<p class="hint">Loss window: per client, from its last acknowledged write that survived to its last acknowledged write; the worst client counts. Gaps: a write survived after a lost one of the same client (never expected). Data dir: bytes in /data after recovery.</p>
</section>`;
}

function baselineSection(report: MatrixReport): string {
  const b = report.baseline;
  if (!b) return "";
  const several = report.versions.length > 1;
  const rows = b.modes
    .map((m) => `<tr>${several ? `<td>${esc(versionLabelOf(report.versions, m.version))}</td>` : ""}<td>${esc(m.mode)}</td><td>${esc(formatRate(m.harnessOpsPerSecond))}</td><td>${esc(formatRate(m.benchmarkOpsPerSecond))}</td><td class="${m.ratio >= 0.8 ? "valid" : "unknown"}">${m.ratio}</td></tr>`)
    .join("");
  return `<section id="baseline">
<h2>Harness writers vs redis-benchmark</h2>
<p>The same server, image, published port and ${b.clients} clients, ${b.valueBytes}-byte values. Median ratio <b>${b.ratio}</b>: the write rates above are the harness's, so a ratio well below 1 means the harness, not Redis, limits them.</p>
<table class="figures narrow${several ? " by-version" : ""}"><thead><tr>${several ? "<th>version</th>" : ""}<th>mode</th><th>harness</th><th>redis-benchmark</th><th>ratio</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

function recommendationSection(report: MatrixReport): string {
  const rec = report.recommendation;
  const rows = rec.modes
    .map(
      (m) =>
        `<tr class="${m.qualifies ? "yes" : "no"}"><td><b>${esc(m.mode)}</b></td><td class="${m.qualifies ? "valid" : "violated"}">${m.qualifies ? "yes" : "no"}</td>` +
        `<td>${esc(formatBound(m.worstMeasuredLossMs))}</td><td>${esc(formatBound(m.documentedLossMs))}</td><td>${esc(formatBound(m.powerLossMs))}</td><td>${esc(formatRate(m.opsPerSecond))} <small>${m.rateSource === "redis-benchmark" ? "redis-benchmark" : "harness writers"}</small></td>` +
        `<td class="why">${m.reasons.map(esc).join("<br>")}</td></tr>`,
    )
    .join("\n");
  const excluded = rec.excludedFaults.map((e) => `<li>${esc(e.fault)}: ${esc(e.why)}</li>`).join("");
  return `<section id="recommendation">
<h2>Recommendation: lose at most ${esc(formatMs(rec.needs.maxLossMs))}, sustain ${esc(formatRate(rec.needs.minOpsPerSecond))}${report.versions.length > 1 ? ", on every version" : ""}</h2>
<p class="answer">${esc(rec.summary)}</p>
<table class="figures"><thead><tr><th>mode</th><th>qualifies</th><th>worst measured loss</th><th>documented (crash)</th><th>documented (power cut)</th><th>writes/s</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>
${excluded ? `<ul class="hint">${excluded}</ul>` : ""}
</section>`;
}

function sourcesSection(report: MatrixReport): string {
  const sources = [...new Set(report.cells.map((c) => c.contractSource))];
  const configs = report.modes.map((m) => `<li><b>${esc(m.mode)}</b>: <code>${esc(m.configFile)}</code>, ${esc(m.summary)}</li>`).join("");
  return `<section id="sources">
<h2>Modes and where their contracts come from</h2>
<ul>${configs}</ul>
<ul class="hint">${sources.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>
</section>`;
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#dde1e8;--bg:#f6f7f9;--valid:#1b7f3b;--valid-bg:#e3f4e8;--bad:#b3261e;--bad-bg:#fbe4e2;--unk:#8a6100;--unk-bg:#fff3d6}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:22px 32px 10px;background:#fff;border-bottom:1px solid var(--line)}
h1{margin:0 0 4px;font-size:24px}
h2{font-size:17px;margin:0 0 10px}
.meta{margin:0;color:var(--muted)}
main{padding:18px 32px;max-width:1360px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
.hint{color:var(--muted);font-size:12.5px}
code{font-size:12.5px;background:#eef0f4;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse}
.grid{width:100%;table-layout:fixed}
.grid th{font-weight:600;text-align:left;padding:6px 8px;font-size:13px}
.grid th[scope=row]{width:220px;vertical-align:top}
.grid .mode{display:block;font-size:14px}
.grid .summary{display:block;font-weight:400;color:var(--muted);font-size:11.5px;line-height:1.3}
.cell{padding:7px 9px;border:3px solid #fff;border-radius:8px;vertical-align:top}
.cell span{display:block}
.cell .verdict{font-size:11px;text-transform:uppercase;letter-spacing:.04em;font-weight:700}
.cell .lost{font-size:15px;font-weight:600}
.cell .detail{font-size:11.5px;color:var(--muted)}
.valid{background:var(--valid-bg);color:var(--valid)}
.violated,.unstable{background:var(--bad-bg);color:var(--bad)}
.unknown{background:var(--unk-bg);color:var(--unk)}
.not-applicable{background:#eef0f3;color:var(--muted)}
.cell.valid .lost,.cell.violated .lost,.cell.unknown .lost,.cell.not-applicable .lost{color:var(--fg)}
.legend span{display:inline-block;margin-right:16px;font-size:12.5px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:8px 28px}
.scroll{overflow-x:auto}
figure{margin:0 0 8px}
figcaption{font-weight:600;margin:0 0 4px}
.chart{width:100%;height:auto;font-size:11px}
.chart .group-label{font-size:12.5px;font-weight:600;fill:var(--fg)}
.chart .value{fill:var(--muted)}
.chart .tick{fill:var(--muted)}
.chart .grid{stroke:#eceef2}
.chart .spread{stroke:#1d2330;stroke-width:1.5}
.chart .threshold line{stroke:#b3261e;stroke-dasharray:4 3;stroke-width:1.5}
.chart .threshold text{fill:#b3261e;font-weight:600}
.chart .marker line{stroke:#1d2330;stroke-width:2}
.chart .marker path{fill:#1d2330}
.figures{width:100%;font-size:12.5px}
.figures.narrow{width:auto}
.figures.narrow td:nth-child(n+2),.figures.narrow th:nth-child(n+2){text-align:right}
.figures th,.figures td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:right;white-space:nowrap}
.figures th{background:#f0f2f5;font-weight:600}
.figures td:nth-child(-n+3),.figures th:nth-child(-n+3){text-align:left}
.figures td.why{white-space:normal;text-align:left;min-width:320px;color:var(--muted)}
.answer{font-size:15px;font-weight:500;border-left:4px solid var(--valid);padding:6px 12px;background:#f5fbf7}
footer{padding:8px 32px 24px;color:var(--muted);font-size:12px}
.grid.versions col.col-mode{width:160px}
.grid.versions col.col-fault{width:180px}
.grid.versions col.col-changes{width:210px}
.grid.versions th[scope=rowgroup]{width:auto;vertical-align:top;border-top:1px solid var(--line)}
.grid.versions th.fault{width:auto;font-weight:500;vertical-align:top;padding-top:10px}
.grid.versions thead .summary{display:block;font-weight:400;color:var(--muted);font-size:10.5px;overflow-wrap:anywhere}
.grid.versions tr.first th.fault{border-top:1px solid var(--line)}
.cell.changed{box-shadow:inset 0 0 0 3px #6d28d9}
.figures tr.changed td:first-child{box-shadow:inset 4px 0 0 #6d28d9}
.cell .badge{float:right;font-size:10px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#fff;background:#6d28d9;border-radius:3px;padding:0 5px}
.grid td.changes{font-size:11.5px;vertical-align:top;padding:8px 6px}
.changes ul{margin:0;padding-left:14px}
.figures.by-version td:nth-child(-n+4),.figures.by-version th:nth-child(-n+4){text-align:left}
.figures.grace td.cell{white-space:normal;min-width:130px;text-align:left;border-radius:0}
.figures.grace td.cell .detail{display:block;font-size:11.5px}
.recommendations li{font-weight:500}
`;
