import { escapeHtml as esc } from "./escape-html.js";
import { gridCell } from "./html-cell.js";
import type { MatrixReport } from "./report.js";

/** What the failover figures mean, for report.md and report.html alike. */
export const FAILOVER_NOTE =
  "Failover cells (a primary, two replicas, three Sentinels, quorum 2; writers follow the primary through Sentinel, nothing resent): " +
  "acks `reply` counts the SET's reply, `wait-1` a `WAIT 1` after it that reported a replica, `waitaof-1-1` a `WAITAOF 1 1` after it that reported the write " +
  "fsynced on the primary and a replica. Their loss window runs, per client, from its last surviving " +
  "acknowledged write before its first lost one to its last lost one (the old primary's acknowledgements the failover threw away); recovery is the time from " +
  "the fault until the Sentinels named a new primary (under primary-restart-empty, where no failover happens and the writers stop at the kill, until the " +
  "restarted primary served again).";

/** Whether the report holds failover cells (a Sentinel group). */
export function hasFailoverCells(report: MatrixReport): boolean {
  return report.cells.some((c) => c.topology === "sentinel");
}

/** report.html's failover section: one row per mode and fault, one column per ack policy, each cell as in the verdict grid. */
export function failoverSection(report: MatrixReport): string {
  const cells = report.cells.filter((c) => c.topology === "sentinel");
  const acks = [...new Set(cells.map((c) => c.acks))];
  const rows = [...new Set(cells.map((c) => `${c.mode}\u0000${c.fault}`))].map((key) => {
    const [mode = "", fault = ""] = key.split("\u0000");
    const description = report.faults.find((f) => f.name === fault)?.description ?? "";
    const byAck = acks.map((ack) => {
      const cell = cells.find((c) => c.mode === mode && c.fault === fault && c.acks === ack);
      return cell ? gridCell(cell, { key: `${mode} x ${fault} x acks ${ack}` }) : `<td class="cell empty">not run</td>`;
    });
    return `<tr><th scope="row" title="${esc(description)}"><span class="mode">${esc(fault)}</span><span class="summary">${esc(mode)}</span></th>${byAck.join("")}</tr>`;
  });
  return `<section id="failover">
<h2>What a failover lost, by ack policy</h2>
<p class="hint">${esc(FAILOVER_NOTE.replace(/`/g, ""))}</p>
<table class="grid"><thead><tr><th></th>${acks.map((a) => `<th scope="col">acks ${esc(a)}</th>`).join("")}</tr></thead><tbody>${rows.join("\n")}</tbody></table>
</section>`;
}
