import { escapeHtml as esc } from "./escape-html.js";
import { versionLabel } from "./format.js";
import { gridCell } from "./html-cell.js";
import type { MatrixReport } from "./report.js";
import { versionTable } from "./version-table.js";

/** report.html's side-by-side section: a row per mode x fault, a column per version, changed cells outlined, the rule stated. */
export function versionsSection(report: MatrixReport): string {
  const table = versionTable(report);
  const comparison = report.comparison;
  const count = comparison?.changed.length ?? 0;
  const header = table.versions
    .map((v) => `<th scope="col" title="${esc(`${v.id}: ${v.image} (${v.imageOrigin})`)}">${esc(versionLabel(v))}<span class="summary">${esc(v.image)}</span></th>`)
    .join("");
  const rows = table.rows.map((row, i) => {
    const first = i === 0 || table.rows[i - 1]?.mode !== row.mode;
    const span = table.rows.filter((r) => r.mode === row.mode).length;
    const summary = report.modes.find((m) => m.mode === row.mode)?.summary ?? "";
    const modeCell = first ? `<th scope="rowgroup" rowspan="${span}"><span class="mode">${esc(row.mode)}</span><span class="summary">${esc(summary)}</span></th>` : "";
    const cells = row.entries.map((e) =>
      e.cell ? gridCell(e.cell, { key: `${row.mode} x ${row.fault} on ${e.version.id}`, compact: true, ...(e.change ? { change: e.change } : {}) }) : `<td class="cell empty">not run</td>`,
    );
    const changes = row.changes.map((c) => `<li>${esc(c)}</li>`).join("");
    const changesCell = count > 0 ? `<td class="changes">${changes ? `<ul>${changes}</ul>` : ""}</td>` : "";
    return `<tr class="${first ? "first" : ""}">${modeCell}<th scope="row" class="fault">${esc(row.fault)}</th>${cells.join("")}${changesCell}</tr>`;
  });
  return `<section id="versions">
<h2>Versions side by side: ${esc(table.versions.map(versionLabel).join(" vs "))}</h2>
<p class="answer">${count === 0 ? "No cell changed between versions, by the rule below." : `${count} change${count === 1 ? "" : "s"} between versions, outlined below.`}</p>
<p class="hint">${esc(comparison?.rule ?? "")} Colors as in the verdict grid: green, the mode kept its documented promise; red, it did not; amber, the run could not tell. Hover a cell for the contract, its source, recovery and write rate.</p>
<table class="grid versions"><colgroup><col class="col-mode"><col class="col-fault">${table.versions.map(() => "<col>").join("")}${count > 0 ? `<col class="col-changes">` : ""}</colgroup><thead><tr><th>mode</th><th>fault</th>${header}${count > 0 ? "<th>what changed</th>" : ""}</tr></thead><tbody>${rows.join("\n")}</tbody></table>
</section>`;
}
