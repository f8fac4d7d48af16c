import { describeContract } from "../checkers/contract.js";
import { composeValidity } from "../checkers/verdict.js";
import { formatMs } from "../report/format.js";
import type { GraceCell, GraceRun, GraceSection, GraceShutdown } from "../report/grace-report.js";
import { statOf } from "../report/stats.js";
import { GRACE_MARGIN, GRACE_RULE, recommendedGraceMs } from "./grace-rule.js";
import type { GraceCellResult } from "./run-grace-cell.js";
import type { GraceSweepRun } from "./run-grace-sweep.js";
import { describeStop } from "./stop-outcome.js";

/** Turns a sweep's results into report.json's `grace` section: cells over repetitions, shutdowns per size, recommendations. Pure. */
export function buildGraceSection(run: GraceSweepRun, disk: string): GraceSection {
  const runsOf = new Map<string, GraceCellResult[]>();
  for (const result of run.results) {
    const key = cellKey(result.mode, result.datasetMiB, result.graceMs);
    runsOf.set(key, [...(runsOf.get(key) ?? []), result]);
  }
  const cells = [...runsOf.values()].map(toGraceCell);
  const modes = [...new Set(run.results.map((r) => r.mode))];
  const sizes = [...new Set(run.results.map((r) => r.datasetMiB))].sort((a, b) => a - b);
  const shutdowns = modes.flatMap((mode) => sizes.flatMap((datasetMiB) => {
    const runs = cells.filter((c) => c.mode === mode && c.datasetMiB === datasetMiB).flatMap((c) => c.runs.map((r) => ({ ...r, graceMs: c.graceMs })));
    return runs.length > 0 ? [shutdownOf(mode, datasetMiB, runs)] : [];
  }));
  const flushes = cells.flatMap((c) => c.runs.flatMap((r) => (r.aofFlushMs === null ? [] : [r.aofFlushMs])));
  const flushNote = flushes.length > 0 ? ` (measured here: the AOF flush and fsync of a shutdown took ${formatRange(flushes)})` : "";
  const versions = [...new Set(run.results.map((r) => r.serverVersion).filter((v) => v !== "unknown"))];
  return {
    gracesMs: [...new Set(run.results.map((r) => r.graceMs))].sort((a, b) => a - b),
    datasetSizesMiB: sizes,
    modes,
    notApplicable: run.notApplicable.map((n) => ({ mode: n.mode, reason: `${n.reason}${flushNote}` })),
    repetitions: run.plan.repetitions,
    image: run.plan.image,
    serverVersion: versions.join(", ") || "unknown",
    disk,
    margin: GRACE_MARGIN,
    rule: GRACE_RULE,
    expectedMs: run.expectedMs,
    wallTimeMs: run.wallTimeMs,
    cells,
    shutdowns,
  };
}

function cellKey(mode: string, datasetMiB: number, graceMs: number): string {
  return `${mode} ${datasetMiB} ${graceMs}`;
}

function toRun(r: GraceCellResult): GraceRun {
  const f = r.verdict.figures;
  return {
    repetition: r.repetition,
    ended: r.stop.ended,
    exitCode: r.stop.exitCode,
    finalSave: r.stop.finalSave,
    aofFlushed: r.stop.aofFlushed,
    shutdownMs: r.stop.shutdownMs,
    finalSaveMs: r.stop.finalSaveMs,
    aofFlushMs: r.stop.aofFlushMs,
    stop: describeStop(r.stop, formatMs),
    seen: r.stop.seen,
    situation: r.situation,
    contract: r.expected.contract,
    contractText: describeContract(r.expected.contract),
    contractSource: r.expected.source,
    verdict: r.verdict.valid,
    acknowledged: f.acknowledged,
    lostAcknowledged: f.lostAcknowledged,
    lossWindowMs: f.lossWindowMs,
    allLost: f.allLost,
    recoveryMs: r.recoveryMs,
    datasetKeys: r.datasetKeys,
    durationMs: r.durationMs,
    reasons: r.verdict.reasons,
    artifactsDir: r.artifactsDir ?? null,
  };
}

function toGraceCell(results: GraceCellResult[]): GraceCell {
  const [first] = results;
  if (!first) throw new Error("a grace cell has at least one run");
  const runs = [...results].sort((a, b) => a.repetition - b.repetition).map(toRun);
  const verdicts = runs.map((r) => r.verdict);
  const saves = [...new Set(runs.map((r) => r.finalSave))];
  const cell: Omit<GraceCell, "summary"> = {
    mode: first.mode,
    datasetMiB: first.datasetMiB,
    graceMs: first.graceMs,
    runs,
    verdict: composeValidity(...verdicts),
    consistent: verdicts.every((v) => v === verdicts[0]),
    finalSave: saves.length === 1 ? (saves[0] as GraceCell["finalSave"]) : "mixed",
    lostAcknowledged: statOf(runs.map((r) => r.lostAcknowledged)),
    shutdownMs: statOf(runs.map((r) => r.shutdownMs)),
    recoveryMs: statOf(runs.map((r) => r.recoveryMs)),
  };
  return { ...cell, summary: summarize(cell) };
}

/** "saved in 0.9 s: none lost", "killed mid-save at 1 s: 34,210 lost (after the snapshot)", with the verdict when not valid. Pure. */
export function summarize(cell: Omit<GraceCell, "summary">): string {
  const runs = cell.runs;
  const grace = `${cell.graceMs / 1000} s`;
  const how = (r: GraceRun): string => {
    if (r.ended === "unexplained") return r.exitCode === -1 ? "could not run" : `ended unexplained (exit ${r.exitCode})`;
    if (r.finalSave === "completed") return r.ended === "exited" ? "saved" : "saved, then killed";
    if (r.ended === "exited") return "exited, no final save";
    return r.finalSave === "interrupted" ? `killed mid-save at ${grace}` : `killed before the save at ${grace}`;
  };
  const kinds = [...new Set(runs.map(how))];
  const stop = kinds.length === 1 ? (kinds[0] === "saved" ? `saved in ${formatMs(cell.shutdownMs.median)}` : (kinds[0] as string)) : `mixed (${kinds.join(" / ")})`;
  const lost = cell.lostAcknowledged.median;
  const contracts = [...new Set(runs.map((r) => r.contract.kind))];
  const flavour = lost === 0 ? "" : contracts.length === 1 && contracts[0] === "after-snapshot-only" ? " (after the snapshot)" : contracts[0] === "window" ? ` (window ${windowText(runs)})` : "";
  const loss = lost === 0 ? "none lost" : `${Math.round(lost).toLocaleString("en-US")} lost${flavour}`;
  const verdict = cell.verdict === true ? "" : cell.verdict === false ? "; VIOLATED" : cell.verdict === "not-applicable" ? "; not applicable" : "; unknown";
  return `${stop}: ${loss}${verdict}`;
}

function windowText(runs: GraceRun[]): string {
  const windows = runs.map((r) => r.lossWindowMs);
  if (windows.some((w) => w === null)) return "unbounded";
  return formatMs(Math.max(...(windows as number[])));
}

function shutdownOf(mode: string, datasetMiB: number, runs: (GraceRun & { graceMs: number })[]): GraceShutdown {
  const known = runs.filter((r) => r.ended !== "unexplained");
  const completed = known.filter((r) => r.ended === "exited" && r.finalSave === "completed");
  const killed = known.filter((r) => r.ended === "killed" && r.finalSave !== "completed");
  const saves = completed.flatMap((r) => (r.finalSaveMs === null ? [] : [r.finalSaveMs]));
  const shutdownMs = completed.length > 0 ? statOf(completed.map((r) => r.shutdownMs)) : null;
  const finalSaveMs = saves.length > 0 ? statOf(saves) : null;
  const longestKilledGraceMs = killed.length > 0 ? Math.max(...killed.map((r) => r.graceMs)) : null;
  const slowestMs = shutdownMs ? Math.max(shutdownMs.max, longestKilledGraceMs ?? 0) : null;
  const recommended = slowestMs === null ? null : recommendedGraceMs(slowestMs);
  return {
    mode,
    datasetMiB,
    stops: known.length,
    completedStops: completed.length,
    shutdownMs,
    finalSaveMs,
    saveMiBPerSecond: finalSaveMs && finalSaveMs.median > 0 ? Math.round((datasetMiB / finalSaveMs.median) * 1000) : null,
    longestKilledGraceMs,
    slowestMs,
    recommendedGraceMs: recommended,
    recommendation: recommendationText({ mode, datasetMiB, completed: completed.length, shutdownMs, longestKilledGraceMs, slowestMs, recommended }),
  };
}

/** "for 256 MiB on this disk (rdb), give at least 4 s: ...". Pure. */
export function recommendationText(s: {
  mode: string;
  datasetMiB: number;
  completed: number;
  shutdownMs: { max: number } | null;
  longestKilledGraceMs: number | null;
  slowestMs: number | null;
  recommended: number | null;
}): string {
  const head = `for ${s.datasetMiB} MiB on this disk (${s.mode})`;
  if (s.recommended === null || s.slowestMs === null || s.shutdownMs === null) {
    const longest = s.longestKilledGraceMs === null ? "any grace tried" : `the longest grace tried (${formatMs(s.longestKilledGraceMs)})`;
    return `${head}: no stop finished within ${longest}, so this sweep cannot say; give more than ${s.longestKilledGraceMs === null ? "that" : formatMs(s.longestKilledGraceMs * GRACE_MARGIN)} and measure again with longer graces`;
  }
  const basis =
    s.longestKilledGraceMs !== null && s.longestKilledGraceMs > s.shutdownMs.max
      ? `a stop took longer than a ${formatMs(s.longestKilledGraceMs)} grace (killed), more than the slowest of ${s.completed} completed shutdowns (${formatMs(s.shutdownMs.max)})`
      : `the slowest of ${s.completed} completed shutdown${s.completed === 1 ? "" : "s"} took ${formatMs(s.shutdownMs.max)}`;
  return `${head}, give at least ${s.recommended / 1000} s: ${basis}, x ${GRACE_MARGIN}`;
}

function formatRange(values: number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return formatMs(min);
  const [low, high] = [formatMs(min), formatMs(max)];
  const unit = / \S+$/.exec(high)?.[0] ?? "";
  return low.endsWith(unit) ? `${low.slice(0, -unit.length)}-${high}` : `${low}-${high}`;
}
