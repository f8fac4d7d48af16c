import { MODES } from "../../configs/modes.js";
import type { LossBound } from "../gate/explain-conf.js";
import { formatBound, formatMs, formatRate } from "./format.js";
import type { Baseline, ModeAssessment, Needs, RateSource, Recommendation, ReportCell } from "./report.js";
import { median } from "./stats.js";

/** Redis's documented worst cases for one mode (from reading its config). */
export interface DocumentedBounds {
  processCrash: LossBound;
  powerLoss: LossBound;
}

/**
 * Holds every mode of a report against the needs, as the gate does: a mode qualifies only when the
 * documented bound of every considered fault (processCrash for the process faults, powerLoss for a
 * power cut) and every measured cell are within the need, and its throughput meets it. Pure.
 */
export function recommend(cells: readonly ReportCell[], needs: Needs, bounds: Readonly<Record<string, DocumentedBounds>>, baseline: Baseline | null = null): Recommendation {
  const faults = [...new Set(cells.map((c) => c.fault))];
  const excludedFaults = [
    ...faults.filter(lostEverywhere).map((fault) => ({
      fault,
      why: "every mode loses everything here (the data dir is gone): a deployment mistake no persistence setting survives",
    })),
    // Eviction deletes keys from memory whatever the mode persists: the cure is a policy, not a mode.
    ...faults.filter((f) => f.startsWith("memory-pressure")).map((fault) => ({ fault, why: "what a full memory loses depends on `maxmemory-policy`, not on the persistence mode" })),
  ];
  const consideredFaults = faults.filter((f) => !excludedFaults.some((e) => e.fault === f));
  const modes = [...new Set(cells.map((c) => c.mode))].map((mode) =>
    assess(mode, cells.filter((c) => c.mode === mode && consideredFaults.includes(c.fault)), needs, bounds[mode], baseline),
  );
  const qualifying = modes.filter((m) => m.qualifies);
  const powerSafe = (m: ModeAssessment): boolean => m.powerLossMs !== null && m.powerLossMs <= needs.maxLossMs;
  // Rates of different sources do not compare (the writers' is a lower bound): redis-benchmark's rank among themselves first.
  const measuredByBenchmark = (m: ModeAssessment): boolean => m.rateSource === "redis-benchmark";
  const ranked = [...qualifying].sort((a, b) => Number(powerSafe(b)) - Number(powerSafe(a)) || Number(measuredByBenchmark(b)) - Number(measuredByBenchmark(a)) || b.opsPerSecond - a.opsPerSecond);
  const choice = ranked[0]?.mode ?? null;
  return {
    needs,
    consideredFaults,
    excludedFaults,
    modes,
    qualifying: qualifying.map((m) => m.mode),
    choice,
    summary: summarize(needs, modes, choice, consideredFaults),
  };
}

function lostEverywhere(fault: string): boolean {
  return Object.values(MODES).every((spec) => (spec.contracts as Record<string, { contract: { kind: string } } | undefined>)[fault]?.contract.kind === "all-lost");
}

/** The documented worst case that holds a cell of this fault: powerLoss for a power cut, processCrash for the process faults. */
export function documentedBoundForFault(fault: string, bounds: DocumentedBounds | undefined): LossBound | undefined {
  return fault === "power-loss" ? bounds?.powerLoss : bounds?.processCrash;
}

// A cell's largest window over its repetitions; null when some repetition lost every write of a client (unbounded).
function measuredWindowMs(cell: ReportCell): number | null {
  return cell.figures.allLost || cell.figures.lossWindowMs === null ? null : cell.figures.lossWindowMs.max;
}

/**
 * The write rate a mode is held to, on each version its cells ran on: redis-benchmark's on the same
 * server when the run measured it there on the cells' setup (the harness writers' rate is capped by
 * the harness: README, "The writers"), else that version's writers' median, a lower bound. The mode
 * is held to the slowest version, as a mode qualifies only if it does on every version; the source is
 * redis-benchmark only when every version had it.
 */
export function modeRate(mode: string, cells: readonly ReportCell[], baseline: Baseline | null): { opsPerSecond: number; rateSource: RateSource; version: string } {
  const versions = [...new Set(cells.map((c) => c.version))];
  const perVersion = versions.map((version) => {
    const benchmark = (baseline?.modes ?? []).filter((m) => m.mode === mode && m.version === version && m.benchmarkOpsPerSecond > 0 && m.otherSetup !== true);
    if (benchmark.length > 0) return { version, opsPerSecond: median(benchmark.map((m) => m.benchmarkOpsPerSecond)), rateSource: "redis-benchmark" as RateSource };
    return { version, opsPerSecond: median(cells.filter((c) => c.version === version).map((c) => c.figures.opsPerSecond.median)), rateSource: "harness" as RateSource };
  });
  const slowest = perVersion.reduce((min, v) => (v.opsPerSecond < min.opsPerSecond ? v : min), perVersion[0] ?? { version: "", opsPerSecond: 0, rateSource: "harness" as RateSource });
  return { opsPerSecond: slowest.opsPerSecond, version: slowest.version, rateSource: perVersion.every((v) => v.rateSource === "redis-benchmark") ? "redis-benchmark" : "harness" };
}

function assess(mode: string, cells: ReportCell[], needs: Needs, bounds: DocumentedBounds | undefined, baseline: Baseline | null): ModeAssessment {
  // Over several versions a fault alone does not say where it happened.
  const several = new Set(cells.map((c) => c.version)).size > 1;
  const where = (c: ReportCell): string => (several ? `${c.fault} (${c.serverVersion})` : c.fault);
  const bounded = cells.filter((c) => measuredWindowMs(c) !== null);
  const worst = bounded.reduce((max, c) => ((measuredWindowMs(c) ?? 0) > max.ms ? { ms: measuredWindowMs(c) ?? 0, fault: where(c) } : max), { ms: 0, fault: "" });
  const unbounded = [...new Set(cells.filter((c) => measuredWindowMs(c) === null).map(where))];
  const documented = bounds?.processCrash.maxMs ?? null;
  const power = bounds?.powerLoss.maxMs ?? null;
  const harnessOps = median(cells.map((c) => c.figures.opsPerSecond.median));
  const rate = modeRate(mode, cells, baseline);
  const ops = rate.opsPerSecond;
  const rateSource = rate.rateSource;
  const on = several ? ` on ${rate.version}, the slowest version` : "";
  const rateText =
    rateSource === "redis-benchmark"
      ? `${formatRate(ops)} (redis-benchmark${on}; the harness writers reached ${formatRate(harnessOps)})`
      : `${formatRate(ops)} (${several ? "the slowest version's rate; on some version only " : ""}the harness writers' rate, a lower bound: no redis-benchmark baseline on the cells' setup)`;
  // Not applicable is no pass, but no breach either: only false and unknown make the contract untrustworthy.
  const broken = [...new Set(cells.filter((c) => c.verdict === false || c.verdict === "unknown").map(where))];
  const reasons: string[] = [];
  // Every considered fault holds the mode to its own documented bound: a power cut to powerLoss, the rest to processCrash.
  const documentedOver = [...new Set(cells.map((c) => c.fault))].flatMap((fault) => {
    const bound = documentedBoundForFault(fault, bounds);
    return bound && bound.maxMs !== null && bound.maxMs <= needs.maxLossMs ? [] : [{ fault, bound }];
  });
  const documentedOk = documentedOver.length === 0 && bounds !== undefined;
  const measuredOk = worst.ms <= needs.maxLossMs && unbounded.length === 0;
  const rateOk = ops >= needs.minOpsPerSecond;
  for (const { fault, bound } of documentedOver) {
    const what = fault === "power-loss" ? "a power cut" : "a crash";
    if (!bound || bound.maxMs === null) reasons.push(`${what} loses ${bound?.text ?? "an unknown amount"}`);
    else reasons.push(`documented worst case ${formatMs(bound.maxMs)} exceeds ${formatMs(needs.maxLossMs)}${fault === "power-loss" ? " on a power cut" : ""}: ${bound.text}`);
  }
  if (unbounded.length > 0) reasons.push(`measured: some client lost every acknowledged write under ${unbounded.join(", ")} (window unbounded)`);
  if (worst.ms > needs.maxLossMs) reasons.push(`measured a loss window of ${formatMs(worst.ms)} under ${worst.fault}`);
  if (broken.length > 0) reasons.push(`its contract did not hold under ${broken.join(", ")}: its documented bound is not to be trusted here`);
  if (!rateOk) reasons.push(`${rateText} is below the ${formatRate(needs.minOpsPerSecond)} needed`);
  const qualifies = documentedOk && measuredOk && rateOk && broken.length === 0;
  const powerConsidered = cells.some((c) => c.fault === "power-loss");
  if (qualifies) {
    reasons.unshift(`worst measured loss ${formatMs(worst.ms)} and documented worst case ${formatMs(documented ?? 0)} are within ${formatMs(needs.maxLossMs)}; ${rateText} meets ${formatRate(needs.minOpsPerSecond)}`);
    if (!powerConsidered && (power === null || power > needs.maxLossMs)) reasons.push(`for process faults only: a power cut can lose ${bounds?.powerLoss.text ?? formatBound(power)}`);
  } else if (documentedOk && measuredOk) {
    reasons.unshift(`loss within ${formatMs(needs.maxLossMs)} (measured ${formatMs(worst.ms)}, documented ${formatBound(documented)})`);
  }
  // Several faults share one documented bound: say it once.
  return { mode, qualifies, reasons: [...new Set(reasons)], worstMeasuredLossMs: unbounded.length > 0 ? null : worst.ms, documentedLossMs: documented, powerLossMs: power, medianOpsPerSecond: harnessOps, opsPerSecond: ops, rateSource };
}

function summarize(needs: Needs, modes: ModeAssessment[], choice: string | null, considered: string[]): string {
  const stated = `For a loss of at most ${formatMs(needs.maxLossMs)} and at least ${formatRate(needs.minOpsPerSecond)} (faults: ${considered.join(", ")})`;
  const qualifying = modes.filter((m) => m.qualifies).map((m) => m.mode);
  if (!choice) {
    const closest = [...modes].sort((a, b) => (a.documentedLossMs ?? Infinity) - (b.documentedLossMs ?? Infinity) || b.opsPerSecond - a.opsPerSecond)[0];
    return `${stated}, no mode qualifies.${closest ? ` The closest is ${closest.mode}: ${closest.reasons.join("; ")}.` : ""}`;
  }
  const chosen = modes.find((m) => m.mode === choice);
  const others = qualifying.filter((m) => m !== choice);
  return (
    `${stated}: ${qualifying.join(", ")} ${qualifying.length === 1 ? "qualifies" : "qualify"}. Choose ${choice} ` +
    `(${formatRate(chosen?.opsPerSecond ?? 0)}${chosen?.rateSource === "redis-benchmark" ? " by redis-benchmark" : " by the harness writers"}, documented worst case ${formatBound(chosen?.documentedLossMs ?? null)}` +
    `${chosen && chosen.powerLossMs !== null && chosen.powerLossMs <= needs.maxLossMs ? ", also on power loss" : ""}).` +
    (others.length > 0 ? ` Also qualifying: ${others.join(", ")}.` : "")
  );
}
