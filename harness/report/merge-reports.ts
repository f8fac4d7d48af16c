import { composeValidity } from "../checkers/verdict.js";
import { knownServerVersions, mergeBaselines } from "./build-report.js";
import { compareAcrossVersions } from "./compare-versions.js";
import { recommend } from "./recommend.js";
import type { Baseline, BaselineMode, MatrixReport, ReportCell, ShardSection } from "./report.js";
import type { PlannedCell } from "./shard.js";
import { baselineKey, cellKey, shardCells } from "./shard.js";

/** A partial report and where it was read from (named in every refusal). */
export interface ShardReport {
  source: string;
  report: MatrixReport;
}

/** Why shards cannot be joined: the message names the files and what to do. */
export class MergeError extends Error {}

/**
 * Joins the partial reports of one sharded matrix (`matrix --shard K/N`, every K of one N) into the
 * report an unsharded run writes: the same cells in the same order with the verdicts and figures each
 * shard recorded, the baselines joined, the recommendation and the version comparison worked out
 * again over every cell. Refuses shards of different tool versions, plans, images or options, a shard
 * missing or given twice, and a shard whose cells are not its slice of the plan. Pure but for `now`.
 */
export function mergeReports(shards: readonly ShardReport[], now = new Date()): MatrixReport {
  const withSections = shards.map((s) => ({ ...s, section: sectionOf(s) }));
  const [first, ...others] = withSections;
  if (!first) throw new MergeError("merge needs the report directories of the shards, e.g. merge shard-1 shard-2 shard-3 --out reports");
  for (const other of others) sameRun(first, other);
  const of = first.section.of;
  const byIndex = new Map<number, string>();
  for (const s of withSections) {
    const twice = byIndex.get(s.section.index);
    if (twice !== undefined) throw new MergeError(`${twice} and ${s.source} are both shard ${s.section.index}/${of}: give each shard once`);
    byIndex.set(s.section.index, s.source);
  }
  const missing = Array.from({ length: of }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) throw new MergeError(`shard${missing.length > 1 ? "s" : ""} ${missing.map((k) => `${k}/${of}`).join(", ")} missing: a merged report needs every shard of the matrix (got ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${of}`).join(", ")})`);
  uniqueCells(first.source, first.section.planned.map(cellKey), "plans");
  for (const s of withSections) ownSlice(s);
  for (const s of withSections) for (const c of s.report.cells) honestVerdict(s, c);

  const planned = first.section.planned;
  const byKey = new Map(withSections.flatMap((s) => s.report.cells.map((c) => [cellKey(c), c] as const)));
  const cells = planned.map((p) => byKey.get(cellKey(p))).filter((c): c is ReportCell => c !== undefined);
  const versions = first.report.versions.map((v) => ({
    ...v,
    serverVersion: knownServerVersions(cells.filter((c) => c.version === v.id).map((c) => c.serverVersion)),
    wallTimeMs: withSections.reduce((sum, s) => sum + (s.report.versions.find((w) => w.id === v.id)?.wallTimeMs ?? 0), 0),
  }));
  const sorted = [...withSections].sort((a, b) => a.section.index - b.section.index);
  const dangers = [...new Set(sorted.flatMap((s) => s.section.dangers))];
  const { shard: _shard, ...base } = first.report;
  const baseline = inPlanOrder(mergeBaselines(sorted.flatMap((s) => (s.report.baseline ? [s.report.baseline] : []))), planned);
  return {
    ...base,
    generatedAt: now.toISOString(),
    run: {
      ...withoutParallel(first.report.run),
      // The most any shard ran at once: its figures were measured under that contention.
      ...(Math.max(...sorted.map((s) => s.report.run.parallel ?? 1)) > 1 ? { parallel: Math.max(...sorted.map((s) => s.report.run.parallel ?? 1)) } : {}),
      runId: sorted.map((s) => s.report.run.runId).join("+"),
      wallTimeMs: sorted.reduce((sum, s) => sum + s.report.run.wallTimeMs, 0),
    },
    versions,
    cells,
    baseline,
    recommendation: recommend(cells, first.report.recommendation.needs, first.section.bounds, baseline),
    comparison: versions.length > 1 ? compareAcrossVersions(cells, versions.map((v) => v.id)) : null,
    merged: {
      shards: sorted.map((s) => ({ index: s.section.index, runId: s.report.run.runId, generatedAt: s.report.generatedAt, wallTimeMs: s.report.run.wallTimeMs, host: s.report.run.host, parallel: s.report.run.parallel ?? 1 })),
      dangers,
    },
  };
}

// As an unsharded run lists them: versions, then rows, in plan order.
function inPlanOrder(baseline: Baseline | null, planned: readonly PlannedCell[]): Baseline | null {
  if (!baseline) return null;
  const order = [...new Set(planned.map((p) => baselineKey(p.version, p.mode)))];
  const rank = (m: BaselineMode): number => order.indexOf(baselineKey(m.version, m.mode));
  return { ...baseline, modes: [...baseline.modes].sort((a, b) => rank(a) - rank(b)) };
}

function sectionOf(s: ShardReport): ShardSection {
  if (s.report.merged !== undefined) throw new MergeError(`${s.source} is already a merged report: give the shards' own reports`);
  if (s.report.shard === undefined) throw new MergeError(`${s.source} is not a shard's report (no "shard" section): merge joins the reports of \`matrix --shard K/N --out DIR\``);
  return s.report.shard;
}

// Everything that makes two shards parts of one matrix must be the same; the first difference is named.
function sameRun(a: ShardReport & { section: ShardSection }, b: ShardReport & { section: ShardSection }): void {
  const checks: [string, unknown, unknown, string][] = [
    ["tool", a.report.tool, b.report.tool, "run every shard with the same version of the tool"],
    ["schema version", a.report.schemaVersion, b.report.schemaVersion, "run every shard with the same version of the tool"],
    ["shard count", a.section.of, b.section.of, "give the shards of one --shard K/N run"],
    ["planned cells", a.section.planned, b.section.planned, "run every shard with the same --modes, --faults, --versions and --deployment"],
    // Names, not summaries: a deployed row's summary holds the shutdown its shard measured.
    ["rows", a.report.modes.map((m) => m.mode), b.report.modes.map((m) => m.mode), "run every shard on the same modes or deployment files"],
    ["config file contents", a.section.configs, b.section.configs, "run every shard on the same config files (one was changed between the jobs)"],
    ["baseline", a.section.baseline, b.section.baseline, "run every shard with or every shard without --skip-baseline"],
    ["faults", a.report.faults, b.report.faults, "run every shard with the same --faults"],
    ["versions and images", a.report.versions.map(imageOf), b.report.versions.map(imageOf), "run every shard on the same --versions or --image"],
    ["dataset size", a.report.run.datasetMiB, b.report.run.datasetMiB, "run every shard with the same --dataset-size"],
    ["repetitions", a.report.run.repetitions, b.report.run.repetitions, "run every shard with the same --repetitions"],
    ["workload", a.report.run.workload, b.report.run.workload, "run every shard with the same workload"],
    ["needs", a.report.recommendation.needs, b.report.recommendation.needs, "run every shard with the same --max-loss and --min-throughput"],
    ["documented bounds", a.section.bounds, b.section.bounds, "run every shard on the same config files"],
  ];
  for (const [what, x, y, fix] of checks) {
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new MergeError(`${a.source} and ${b.source} differ in ${what} (${brief(x)} vs ${brief(y)}): not shards of one matrix; ${fix}`);
  }
}

function uniqueCells(source: string, keys: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new MergeError(`${source} ${what} the cell ${(JSON.parse(key) as string[]).join(" ")} twice: two rows with one name cannot be told apart; give them different names`);
    seen.add(key);
  }
}

// The exit rule reads verdict and consistent: they must say what the repetitions' verdicts say, one per repetition.
function honestVerdict(s: ShardReport, c: ReportCell): void {
  const where = `${s.source}: ${c.version} ${c.mode} x ${c.fault}`;
  const repetitions = s.report.run.repetitions;
  if (c.repetitions !== repetitions || c.verdicts.length !== repetitions) {
    throw new MergeError(`${where} has ${c.verdicts.length} verdict(s) for ${c.repetitions} repetition(s) of a run of ${repetitions}: the report was cut or edited; run that shard again`);
  }
  const composed = composeValidity(...c.verdicts);
  const consistent = c.verdicts.every((v) => v === c.verdicts[0]);
  if (composed !== c.verdict || consistent !== c.consistent) {
    throw new MergeError(`${where} says ${String(c.verdict)}${c.consistent ? "" : " (inconsistent)"} but its repetitions say ${c.verdicts.map(String).join(", ")}: the report was edited; run that shard again`);
  }
}

// A shard must hold exactly its own slice: a cell from another slice, or one missing, means another plan or a cut-short run.
function ownSlice(s: ShardReport & { section: ShardSection }): void {
  const expected = shardCells(s.section.planned, s.section).map(cellKey);
  const got = s.report.cells.map(cellKey);
  uniqueCells(s.source, got, "holds");
  const extra = got.filter((k) => !expected.includes(k));
  const lacking = expected.filter((k) => !got.includes(k));
  if (extra.length > 0 || lacking.length > 0 || got.length !== expected.length) {
    const describe = (keys: string[]): string => keys.map((k) => (JSON.parse(k) as string[]).join(" ")).join(", ");
    throw new MergeError(
      `${s.source} (shard ${s.section.index}/${s.section.of}) does not hold its slice of the plan` +
        (lacking.length > 0 ? `; missing ${describe(lacking)}` : "") +
        (extra.length > 0 ? `; not its cells ${describe(extra)}` : "") +
        (extra.length === 0 && lacking.length === 0 ? "; a cell is given twice" : "") +
        ": run that shard again",
    );
  }
}

function withoutParallel(run: MatrixReport["run"]): MatrixReport["run"] {
  const { parallel: _parallel, ...rest } = run;
  return rest;
}

function imageOf(v: MatrixReport["versions"][number]): { id: string; image: string; imageOrigin: string } {
  return { id: v.id, image: v.image, imageOrigin: v.imageOrigin };
}

function brief(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
