import { formatVerdict, formatWindow } from "./format.js";
import type { ChangedCell, Comparison, FigureChange, ReportCell } from "./report.js";

/** How far two loss windows may differ before the comparison calls it a change: max(250 ms, 50 % of the larger). */
export const COMPARISON_TOLERANCE = { lossWindowMs: 250, lossWindowRatio: 0.5 } as const;

/** The comparison rule in words, as every rendering states it. */
export const COMPARISON_RULE =
  "Each version is compared with the one before it in the list (medians over repetitions). A cell changed when its verdict differs; " +
  "when one version lost no acknowledged write and the other lost some, or one lost all and the other did not; " +
  `or when the loss window differs by more than max(${COMPARISON_TOLERANCE.lossWindowMs} ms, ${COMPARISON_TOLERANCE.lossWindowRatio * 100} % of the larger window). ` +
  "Where both lost everything the window only measures how long the writes ran, so it is not compared; " +
  "write rates and recovery times are shown but never flagged (they vary from run to run).";

type LossCategory = "none" | "some" | "all";

/** Whether a cell lost no acknowledged write, some, or all of them (medians). */
export function lossCategory(cell: ReportCell): LossCategory {
  const lost = cell.figures.lostAcknowledged.median;
  if (lost === 0) return "none";
  return cell.figures.allLost || lost >= cell.figures.acknowledged.median ? "all" : "some";
}

/** What changed in one mode x fault cell from one version to the next, by the rule above. Pure. */
export function cellChanges(before: ReportCell, after: ReportCell): FigureChange[] {
  const changes: FigureChange[] = [];
  if (before.verdict !== after.verdict) {
    changes.push({ figure: "verdict", before: before.verdict, after: after.verdict, text: `verdict ${formatVerdict(before.verdict)} -> ${formatVerdict(after.verdict)}` });
  }
  const [catBefore, catAfter] = [lossCategory(before), lossCategory(after)];
  const [lostBefore, lostAfter] = [before.figures.lostAcknowledged.median, after.figures.lostAcknowledged.median];
  if (catBefore !== catAfter) {
    changes.push({ figure: "lost", before: lostBefore, after: lostAfter, text: `lost ${lostText(catBefore, lostBefore)} -> ${lostText(catAfter, lostAfter)}` });
  }
  const [windowBefore, windowAfter] = [before.figures.lossWindowMs?.median ?? null, after.figures.lossWindowMs?.median ?? null];
  const unboundedChanged = (windowBefore === null) !== (windowAfter === null);
  if (!(catBefore === "all" && catAfter === "all") && (unboundedChanged || (windowBefore !== null && windowAfter !== null && windowsDiffer(windowBefore, windowAfter)))) {
    changes.push({ figure: "lossWindowMs", before: windowBefore, after: windowAfter, text: `loss window ${formatWindow(before.figures)} -> ${formatWindow(after.figures)}` });
  }
  return changes;
}

/** True when two loss windows (ms) differ by more than the tolerance. */
export function windowsDiffer(a: number, b: number): boolean {
  const allowed = Math.max(COMPARISON_TOLERANCE.lossWindowMs, COMPARISON_TOLERANCE.lossWindowRatio * Math.max(a, b));
  return Math.abs(a - b) > allowed;
}

/** Compares each version's cells with those of the version before it in `versions`; lists every changed cell, grouped by mode x fault. Pure. */
export function compareAcrossVersions(cells: readonly ReportCell[], versions: readonly string[]): Comparison {
  const key = (c: { mode: string; fault: string }): string => `${c.mode} x ${c.fault}`;
  const byVersion = new Map(versions.map((v) => [v, new Map(cells.filter((c) => c.version === v).map((c) => [key(c), c]))]));
  const pairs = versions.slice(1).map((to, i) => ({ from: versions[i] as string, to }));
  const changed: ChangedCell[] = [];
  for (const name of new Set(cells.map(key))) {
    for (const { from, to } of pairs) {
      const before = byVersion.get(from)?.get(name);
      const after = byVersion.get(to)?.get(name);
      if (!before || !after) continue;
      const changes = cellChanges(before, after);
      if (changes.length > 0) changed.push({ mode: after.mode, fault: after.fault, from, to, changes });
    }
  }
  return { versions: [...versions], rule: COMPARISON_RULE, tolerance: { ...COMPARISON_TOLERANCE }, changed };
}

function lostText(category: LossCategory, lost: number): string {
  const count = Math.round(lost).toLocaleString("en-US");
  return category === "none" ? "none" : category === "all" ? `all (${count})` : count;
}
