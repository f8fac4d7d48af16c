import { escapeHtml as esc } from "./escape-html.js";
import { formatMs, formatStat, formatVerdict } from "./format.js";
import type { GraceCell, GraceSection, GraceShutdown } from "./grace-report.js";
import { markdownTable } from "./markdown-table.js";
import type { Bar, BarChartSpec, Series } from "./svg-chart.js";
import { barChart } from "./svg-chart.js";

// Short graces light, long graces dark: the eye reads the flip as the bars go from light to dark.
const GRACE_COLORS = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704", "#4a1a02", "#2b0f01"];
const MODE_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2"];

/** "1 s", "30 s": graces are whole seconds. */
export function formatGrace(ms: number): string {
  return `${ms / 1000} s`;
}

/** The grace table's rows: one per mode x dataset size, a column per grace, then the measured shutdown and the grace to give. Pure. */
export function graceTable(section: GraceSection, cellText: (cell: GraceCell) => string = (c) => c.summary): { headers: string[]; rows: string[][] } {
  const headers = ["mode", "dataset", ...section.gracesMs.map((g) => `grace ${formatGrace(g)}`), "measured shutdown", "give at least"];
  const rows = section.shutdowns.map((s) => [
    s.mode,
    `${s.datasetMiB} MiB`,
    ...section.gracesMs.map((g) => {
      const cell = section.cells.find((c) => c.mode === s.mode && c.datasetMiB === s.datasetMiB && c.graceMs === g);
      return cell ? cellText(cell) : "not run";
    }),
    shutdownText(s),
    s.recommendedGraceMs === null ? "unknown (no stop finished)" : formatGrace(s.recommendedGraceMs),
  ]);
  return { headers, rows };
}

/** "0.9 s (0.8-1.1 s, 5 stops)", or "> 30 s (none of 6 stops finished)". Pure. */
export function shutdownText(s: GraceShutdown): string {
  if (!s.shutdownMs) return s.longestKilledGraceMs === null ? "not measured" : `> ${formatMs(s.longestKilledGraceMs)} (none of ${s.stops} stops finished)`;
  return `${formatStat(s.shutdownMs, formatMs)}, ${s.completedStops} of ${s.stops} stops finished`;
}

/** How a cell's stops ended, in a word or two: "saved", "mid-save", "pre-save", "exited", "mixed". Pure. */
export function stopWord(cell: GraceCell): string {
  const [run] = cell.runs;
  if (cell.finalSave === "mixed") return "mixed";
  if (run?.ended === "unexplained") return "unexplained";
  if (cell.finalSave === "completed") return "saved";
  if (run?.ended === "exited") return "exited";
  return cell.finalSave === "interrupted" ? "mid-save" : "pre-save";
}

/** A compact cell for the terminal: "saved 0.9 s, 0 lost", "killed mid-save, 42,310 lost", with the verdict when not valid. Pure. */
export function compactCell(cell: GraceCell): string {
  const [run] = cell.runs;
  const stop =
    cell.finalSave === "mixed"
      ? "mixed"
      : run?.ended === "unexplained"
        ? "unexplained"
        : cell.finalSave === "completed"
          ? `saved ${formatMs(cell.shutdownMs.median)}`
          : run?.ended === "exited"
            ? "exited"
            : cell.finalSave === "interrupted"
              ? "killed mid-save"
              : "killed pre-save";
  const verdict = cell.verdict === true ? "" : ` ${formatVerdict(cell.verdict)}`;
  return `${stop}, ${Math.round(cell.lostAcknowledged.median).toLocaleString("en-US")} lost${verdict}`;
}

/** The grace section for the terminal. */
export function graceTerminal(section: GraceSection): string[] {
  const { headers, rows } = graceTable(section, compactCell);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [
    `Stop grace sweep (${section.serverVersion}, ${section.repetitions} repetition(s), ${section.cells.length} cells in ${formatMs(section.wallTimeMs)}, expected ${formatMs(section.expectedMs)}):`,
    line(headers),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...section.shutdowns.map((s) => `  ${s.recommendation}`),
    `  Rule: ${section.rule}. Caveat: measured on ${section.disk}; a slower disk or more data needs more.`,
    ...section.notApplicable.map((n) => `  ${n.mode}: not swept: ${n.reason}`),
    "",
  ];
}

/** The grace section of report.md. */
export function graceMarkdown(section: GraceSection): string[] {
  const { headers, rows } = graceTable(section);
  const unheld = section.cells.filter((c) => c.verdict !== true);
  return [
    "## Stop grace: how much does a dataset need?",
    "",
    `Each cell: the container stopped with that grace (\`docker stop -t\`) while ${section.repetitions > 1 ? `writing, ${section.repetitions} times` : "writing"}; ` +
      "whether the final save completed (exit code and log), the acknowledged writes lost, and the verdict against the contract the stop's outcome falls under " +
      "(a completed final save: none lost; SIGKILL during an RDB-only save: only writes after the last snapshot; with an AOF, flushed before the save: none). " +
      `${section.cells.length} cells in ${formatMs(section.wallTimeMs)} (expected ${formatMs(section.expectedMs)}) on ${section.serverVersion}.`,
    "",
    ...markdownTable(headers, rows, headers.length),
    "",
    ...section.shutdowns.map((s) => `- ${capitalize(s.recommendation)}.`),
    "",
    `Rule: ${section.rule}. **Caveat:** measured on ${section.disk}; a slower disk, a busier host or more data needs more: measure yours.`,
    "",
    ...section.shutdowns.flatMap((s) =>
      s.finalSaveMs ? [`- ${s.mode}, ${s.datasetMiB} MiB: final save by the server's log ${formatStat(s.finalSaveMs, formatMs)}${s.saveMiBPerSecond !== null ? ` (~${s.saveMiBPerSecond} MiB/s)` : ""}`] : [],
    ),
    ...(section.notApplicable.length > 0 ? ["", ...section.notApplicable.map((n) => `- **${n.mode}** not swept: ${n.reason}.`)] : []),
    ...(unheld.length > 0
      ? ["", "Cells whose contract did not hold or could not be judged:", "", ...unheld.map((c) => `- ${c.mode}, ${c.datasetMiB} MiB, grace ${formatGrace(c.graceMs)}: ${[...new Set(c.runs.flatMap((r) => r.reasons))].join("; ")}`)]
      : []),
    "",
  ];
}

/** The loss chart of one mode: a group per dataset size, a bar per grace (median acknowledged writes lost). Pure. */
export function graceLossChart(section: GraceSection, mode: string): BarChartSpec {
  const series = graceSeries(section);
  return {
    title: `${mode}: acknowledged writes lost per stop grace and dataset size`,
    series,
    format: (v) => Math.round(v).toLocaleString("en-US"),
    groups: section.datasetSizesMiB.map((mib) => ({
      label: `${mib} MiB`,
      bars: section.gracesMs.flatMap((g): Bar[] => {
        const cell = section.cells.find((c) => c.mode === mode && c.datasetMiB === mib && c.graceMs === g);
        if (!cell) return [];
        const stat = cell.lostAcknowledged;
        return [
          {
            series: formatGrace(g),
            value: stat.median,
            ...(stat.n > 1 ? { min: stat.min, max: stat.max } : {}),
            label: `${shortCount(stat.median)} ${stopWord(cell)}`,
            title: `${mode}, ${mib} MiB, grace ${formatGrace(g)}: ${cell.summary}`,
          },
        ];
      }),
    })),
  };
}

/** The shutdown chart: a group per dataset size, a bar per mode (completed stops, with their spread), the grace to give marked. Pure. */
export function graceShutdownChart(section: GraceSection): BarChartSpec {
  return {
    title: "Measured shutdown (stop sent to exit) per dataset size",
    series: modeSeries(section),
    format: formatMs,
    groups: section.datasetSizesMiB.map((mib) => ({
      label: `${mib} MiB`,
      bars: section.shutdowns
        .filter((s) => s.datasetMiB === mib && s.shutdownMs !== null)
        .map((s): Bar => {
          const stat = s.shutdownMs as NonNullable<GraceShutdown["shutdownMs"]>;
          return {
            series: s.mode,
            value: stat.median,
            ...(stat.n > 1 ? { min: stat.min, max: stat.max } : {}),
            label: `${s.mode} ${formatMs(stat.median)}`,
            title: `${s.mode}, ${mib} MiB: ${shutdownText(s)}; give at least ${s.recommendedGraceMs === null ? "?" : formatGrace(s.recommendedGraceMs)}`,
          };
        }),
    })),
    markers: section.shutdowns.flatMap((s) =>
      s.recommendedGraceMs === null ? [] : [{ group: `${s.datasetMiB} MiB`, value: s.recommendedGraceMs, label: `${s.mode}, ${s.datasetMiB} MiB: give at least ${formatGrace(s.recommendedGraceMs)}` }],
    ),
  };
}

/** The grace section of report.html. */
export function graceHtml(section: GraceSection): string {
  const { headers } = graceTable(section);
  const body = section.shutdowns.map((s) => {
    const cells = section.gracesMs.map((g) => {
      const cell = section.cells.find((c) => c.mode === s.mode && c.datasetMiB === s.datasetMiB && c.graceMs === g);
      if (!cell) return `<td class="cell empty">not run</td>`;
      const tooltip = cell.runs.map((r) => `run ${r.repetition}: ${r.stop}; ${r.seen}\n${r.situation}: ${r.contractText} (${r.contractSource})${r.reasons.length ? `\n${r.reasons.join("\n")}` : ""}`).join("\n");
      return `<td class="cell ${stateClass(cell)}" data-grace-cell="${esc(`${s.mode} ${s.datasetMiB} MiB ${formatGrace(g)}`)}" data-final-save="${esc(cell.finalSave)}" title="${esc(tooltip)}"><span class="verdict">${esc(formatVerdict(cell.verdict))} &middot; final save ${esc(cell.finalSave)}</span><span class="detail">${esc(cell.summary)}</span></td>`;
    });
    return `<tr><th scope="row">${esc(s.mode)}</th><td>${s.datasetMiB} MiB</td>${cells.join("")}<td>${esc(shutdownText(s))}</td><td><b>${s.recommendedGraceMs === null ? "unknown" : esc(formatGrace(s.recommendedGraceMs))}</b></td></tr>`;
  });
  const legend = (series: Series[]): string => `<p class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join("")}</p>`;
  const charts = section.modes.map((mode) => `<figure><figcaption>${esc(mode)}: acknowledged writes lost, per dataset size and grace</figcaption>${legend(graceSeries(section))}${barChart(graceLossChart(section, mode))}</figure>`);
  return `<section id="grace">
<h2>Stop grace: how much does a dataset need?</h2>
<p class="hint">Each cell: <code>docker stop -t &lt;grace&gt;</code> while writing; whether the final save completed (exit code and log), the acknowledged writes lost, and the verdict against the contract the stop's outcome falls under. ${section.cells.length} cells in ${esc(formatMs(section.wallTimeMs))} (expected ${esc(formatMs(section.expectedMs))}) on ${esc(section.serverVersion)}.</p>
<div class="scroll"><table class="figures grace"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body.join("\n")}</tbody></table></div>
<ul class="recommendations">${section.shutdowns.map((s) => `<li>${esc(capitalize(s.recommendation))}</li>`).join("")}</ul>
<p class="hint">Rule: ${esc(section.rule)}. <b>Caveat:</b> measured on ${esc(section.disk)}; a slower disk, a busier host or more data needs more.</p>
${section.notApplicable.length > 0 ? `<ul class="hint">${section.notApplicable.map((n) => `<li><b>${esc(n.mode)}</b> not swept: ${esc(n.reason)}</li>`).join("")}</ul>` : ""}
<div class="charts">
${charts.join("\n")}
<figure><figcaption>Measured shutdown per dataset size (bars: median, lines: spread over finished stops; &#9660; the grace to give)</figcaption>${legend(modeSeries(section))}${barChart(graceShutdownChart(section))}</figure>
</div>
</section>`;
}

/** "0", "950", "26.4k", "297k": short enough for a bar's end label. Pure. */
export function shortCount(value: number): string {
  const n = Math.round(value);
  if (n < 1_000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  return `${Math.round(n / 1000)}k`;
}

function graceSeries(section: GraceSection): Series[] {
  return section.gracesMs.map((g, i) => ({ name: formatGrace(g), color: GRACE_COLORS[Math.min(i, GRACE_COLORS.length - 1)] as string }));
}

function modeSeries(section: GraceSection): Series[] {
  return section.modes.map((m, i) => ({ name: m, color: MODE_COLORS[i % MODE_COLORS.length] as string }));
}

function stateClass(cell: GraceCell): string {
  if (!cell.consistent) return "unstable";
  return cell.verdict === true ? "valid" : cell.verdict === false ? "violated" : cell.verdict === "not-applicable" ? "not-applicable" : "unknown";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
