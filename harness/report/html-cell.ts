import { escapeHtml as esc } from "./escape-html.js";
import { formatMs, formatRate, formatStat, formatWindow } from "./format.js";
import type { ReportCell } from "./report.js";
import { verdictText } from "./summary-table.js";

/** How a cell is drawn beyond its figures: its data-cell key, how it changed from the version before it, and whether recovery and rate stay in the tooltip. */
export interface CellMark {
  key: string;
  change?: string;
  compact?: boolean;
}

/** One verdict-grid cell: verdict, what was lost, window, recovery and rate, colored by verdict; a changed cell is outlined and says so. */
export function gridCell(cell: ReportCell, mark: CellMark = { key: `${cell.mode} x ${cell.fault}` }): string {
  const f = cell.figures;
  const lost = f.lostAcknowledged.max === 0 ? "nothing lost" : f.allLost ? `all ${formatCount(f.lostAcknowledged.max)} lost` : `${formatCount(f.lostAcknowledged.median)} lost`;
  const spread = cell.repetitions > 1 ? `\nover ${cell.repetitions} repetitions (min-max): lost ${formatStat(f.lostAcknowledged)}, window ${formatWindow(f, true)}, recovery ${formatStat(f.recoveryMs, formatMs)}` : "";
  const changed = mark.change ? `\nchanged: ${mark.change}` : "";
  const cost = `recovery ${formatMs(f.recoveryMs.median)} · ${formatRate(f.opsPerSecond.median)}`;
  const tooltip = `${cell.mode} x ${cell.fault} on ${cell.serverVersion}\nexpected: ${cell.contractText}\nverdict: ${verdictText(cell)}${mark.compact ? `\n${cost}` : ""}${spread}${changed}\n${cell.reasons.join("\n")}\nsource: ${cell.contractSource}`;
  return (
    `<td class="cell ${stateOf(cell)}${mark.change ? " changed" : ""}" data-cell="${esc(mark.key)}" title="${esc(tooltip)}">` +
    `${mark.change ? `<span class="badge">changed</span>` : ""}<span class="verdict">${esc(verdictText(cell))}</span><span class="lost">${esc(lost)}</span>` +
    `<span class="detail">window ${esc(formatWindow(f))} &middot; of ${esc(formatCount(f.acknowledged.median))} acked</span>` +
    `${mark.compact ? "" : `<span class="detail">${esc(cost)}</span>`}</td>`
  );
}

/** The CSS class of a cell's verdict: valid, violated, unknown, or unstable when repetitions disagree. */
export function stateOf(cell: ReportCell): string {
  if (!cell.consistent) return "unstable";
  return cell.verdict === true ? "valid" : cell.verdict === false ? "violated" : cell.verdict === "not-applicable" ? "not-applicable" : "unknown";
}

/** "23,645". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
