import { describeLoss } from "../checkers/describe-loss.js";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MODES, modeNamed } from "../../configs/modes.js";
import type { Deployment } from "../deployment/index.js";
import { DeploymentError } from "../deployment/index.js";
import { GateConfigError } from "../gate/gate-config-error.js";
import { renderGateConfigError } from "../gate/render-gate.js";
import type { Session } from "../runtime/session.js";
import { deploymentRowName } from "../report/deployment-contracts.js";
import type { DeploymentRow } from "../report/deployment-row.js";
import { deploymentRow } from "../report/deployment-row.js";
import type { MatrixRowSpec } from "../report/run-matrix.js";
import type { Fault } from "../faults/fault.js";
import { DEFAULT_MATRIX_FAULTS, NAMED_FAULTS, namedFault, needsFaultFs } from "../faults/index.js";
import { faultFsSupport } from "../faults/fault-fs/support.js";
import { buildReport } from "../report/build-report.js";
import { documentedBounds } from "../report/documented-bounds.js";
import { formatClock, formatMs, formatRate, formatVerdict } from "../report/format.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { MatrixReport } from "../report/report.js";
import type { CaseProgress } from "../report/run-matrix.js";
import { runVersions } from "../report/run-versions.js";
import type { VersionId } from "../runtime/versions.js";
import { VERSIONS } from "../runtime/versions.js";
import { writeReport } from "../report/write-report.js";
import type { ReportFiles } from "../report/write-report.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { failoverMatrixCommand, parseTopology } from "./failover-matrix-command.js";
import { readGateDeployments } from "./gate-command.js";
import { deploymentImage } from "./gate-image.js";
import { graceSweepOptions } from "./grace-options.js";
import { graceHeld, graceSweepAnnouncement, graceSweepPlan, runGraceSection } from "./grace-sweep-command.js";
import { MATRIX_HELP } from "./help.js";
import { parseDurationMs, parseMiB, parseNameList, parseRate, parseWholeNumber } from "./options.js";
import { parseCommandArgs } from "./parse-command-args.js";
import type { CliIo } from "./session-scope.js";
import { EnvironmentError, withSession } from "./session-scope.js";
import { toolInfo } from "./tool-info.js";
import type { PlannedCell, Shard } from "../report/shard.js";
import { cellKey, parseShard, plannedCells, shardBaselines, shardCells } from "../report/shard.js";
import { versionTargets } from "./version-targets.js";

/** The stated dataset size when none is given, in MiB: large enough for recovery to be measurable, small enough to stay fast. */
export const DEFAULT_DATASET_MIB = 64;

/** What `matrix` produced: the report, its files and the exit code. */
export interface MatrixOutcome {
  exitCode: number;
  report?: MatrixReport;
  files?: ReportFiles;
}

/** `redis-persistence matrix`: runs the matrix, prints progress and the summary, writes the three report files. */
export async function matrixCommand(args: string[], io: CliIo): Promise<MatrixOutcome> {
  const values = parseCommandArgs("matrix", args, {
    modes: { type: "string" },
    faults: { type: "string" },
    image: { type: "string" },
    versions: { type: "string" },
    "dataset-size": { type: "string" },
    repetitions: { type: "string" },
    out: { type: "string" },
    "max-loss": { type: "string" },
    "min-throughput": { type: "string" },
    "skip-baseline": { type: "boolean" },
    graces: { type: "string" },
    "dataset-sizes": { type: "string" },
    topology: { type: "string" },
    acks: { type: "string" },
    "min-replicas": { type: "string" },
    deployment: { type: "string", multiple: true },
    service: { type: "string" },
    env: { type: "string", multiple: true },
    grace: { type: "string" },
    shard: { type: "string" },
    parallel: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(MATRIX_HELP);
    return { exitCode: EXIT.ok };
  }
  refuseDeploymentMix(values);
  const graceMs = values.grace !== undefined ? parseDurationMs("--grace", values.grace) : undefined;
  let deployments: Deployment[] | undefined;
  if (values.deployment !== undefined) {
    try {
      deployments = await readGateDeployments(values.deployment, { image: values.image, service: values.service, env: values.env, graceMs }, "matrix");
    } catch (error) {
      if (!(error instanceof DeploymentError)) throw error;
      io.err(`matrix: ${error.message}\n`);
      return { exitCode: EXIT.usage };
    }
  }
  if (deployments) refuseSameRowNames(deployments);
  const shard = values.shard !== undefined ? shardOrRefuse(values) : undefined;
  const parallel = values.parallel !== undefined ? parseWholeNumber("--parallel", values.parallel, 1) : 1;
  if (parallel > 1 && parseTopology(values.topology) === "sentinel") throw new UsageError("matrix: --parallel applies to the single-server matrix; a Sentinel group's cells run one at a time");
  if (parseTopology(values.topology) === "sentinel") return failoverMatrixCommand(values, io);
  if (values.acks !== undefined) throw new UsageError("matrix: --acks applies to --topology sentinel only (a single server's writes are acknowledged by their reply)");
  if (values["min-replicas"] !== undefined) throw new UsageError("matrix: --min-replicas applies to --topology sentinel only (min-replicas-to-write counts replicas)");
  if (values.versions !== undefined && values.image !== undefined) {
    throw new UsageError("matrix: --versions and --image cannot be combined: --versions runs each version on its own image. Give one of them.");
  }
  const versionIds = values.versions !== undefined ? (parseNameList("--versions", values.versions, Object.keys(VERSIONS)) as VersionId[]) : undefined;
  const builtIn = (values.modes ? parseNameList("--modes", values.modes, Object.keys(MODES)) : Object.keys(MODES)).map(modeNamed);
  const faults = (values.faults ? await namedFaultsOrRefuse(parseNameList("--faults", values.faults, Object.keys(NAMED_FAULTS))) : await defaultMatrixFaults(io)).map(namedFault);
  const datasetMiB = values["dataset-size"] !== undefined ? parseMiB("--dataset-size", values["dataset-size"]) : DEFAULT_DATASET_MIB;
  const repetitions = values.repetitions !== undefined ? parseWholeNumber("--repetitions", values.repetitions, 1) : 1;
  const needs = {
    maxLossMs: values["max-loss"] !== undefined ? parseDurationMs("--max-loss", values["max-loss"]) : 1_000,
    minOpsPerSecond: values["min-throughput"] !== undefined ? parseRate("--min-throughput", values["min-throughput"]) : 5_000,
  };
  const outDir = path.resolve(values.out ?? "reports");
  const graceOptions = graceSweepOptions(values, datasetMiB);

  try {
    return await withSession(
      io,
      values.image,
      async (session) => {
        const rows = deployments ? await deploymentRows(deployments, session, { imageGiven: values.image !== undefined, faults, datasetMiB }, io) : undefined;
        try {
          const modes: MatrixRowSpec[] = rows ?? builtIn;
          const targets = versionIds
            ? await versionTargets(versionIds, session.image)
            : [{ id: values.image ?? "default", image: { name: session.image.name, origin: session.image.origin } }];
          const planned = plannedCells(targets.map((t) => t.id), modes.map((m) => m.mode), faults.map((f) => f.name));
          const slice = shard ? shardSlice(planned, shard) : undefined;
          const total = (slice ? slice.cells.size : planned.length) * repetitions;
          const on = rows ? [...new Set(rows.map((r) => r.image))].join(", ") : versionIds ? targets.map((t) => `${t.id} (${t.image.name})`).join(", ") : session.image.name;
          const versionsTimes = versionIds ? `${targets.length} versions x ` : "";
          const sliceText = shard ? `; shard ${shard.index}/${shard.of} runs ${total} of them (every ${shard.of === 1 ? "" : `${ordinal(shard.of)} `}cell from the ${ordinal(shard.index)})` : "";
          io.err(`[matrix] ${versionsTimes}${modes.length} ${rows ? "deployed servers" : "modes"} x ${faults.length} faults x ${repetitions} = ${planned.length * repetitions} cases on ${on}, ${datasetMiB} MiB preloaded${sliceText}\n`);
          const contention = parallelWarning(parallel);
          if (contention !== undefined) io.err(`[matrix] ${contention}\n`);
          const gracePlan = graceOptions ? graceSweepPlan(session.image.name, builtIn, graceOptions, repetitions) : undefined;
          if (gracePlan) io.err(graceSweepAnnouncement(gracePlan));
          const runs = await runVersions(
            { runId: session.runId, modes, faults, datasetMiB, repetitions, baseline: !values["skip-baseline"], parallel, ...(slice ? { slice } : {}) },
            targets,
            { onCase: (progress) => io.err(`${progressLine(progress)}\n`), onNote: (line) => io.err(`[matrix] ${line}\n`) },
          );
          const grace = gracePlan ? await runGraceSection(gracePlan, io) : undefined;
          const bounds = rows ? Object.fromEntries(rows.map((r) => [r.mode, r.bounds])) : documentedBounds(builtIn);
          // What the gate fails a deployment on fails its row too, however its cells came out.
          const dangers = (rows ?? []).flatMap((r) => r.dangers.map((d) => `${r.mode}: ${d}`));
          const report = {
            ...buildReport(runs, needs, bounds, toolInfo()),
            ...(grace ? { grace } : {}),
            ...(shard ? { shard: { ...shard, planned, bounds, dangers, baseline: !values["skip-baseline"], configs: await configDigests(modes) } } : {}),
          };
          const { files, schemaErrors } = await writeReport(report, outDir);
          io.out(renderTerminal(report));
          io.out(`\nwrote ${files.json}\n      ${files.markdown}\n      ${files.html}\n`);
          if (schemaErrors.length > 0) io.err(`[matrix] report.json does not match its schema (a bug, please report):\n  ${schemaErrors.join("\n  ")}\n`);
          for (const danger of dangers) io.err(`[matrix] the gate fails ${danger}\n`);
          // A cell where the fault has nothing to do is shown as such, and does not by itself fail the run.
          const held = report.cells.every((c) => (c.verdict === true || c.verdict === "not-applicable") && c.consistent) && graceHeld(grace) && dangers.length === 0;
          return { exitCode: held ? EXIT.ok : EXIT.failed, report, files };
        } finally {
          await Promise.all((rows ?? []).map((r) => r.remove()));
        }
      },
      versionIds?.[0] !== undefined ? VERSIONS[versionIds[0]] : undefined,
    );
  } catch (error) {
    // Settings the gate cannot follow, or that Redis refuses: exit 2, worded as the gate words them.
    if (!(error instanceof GateConfigError)) throw error;
    io.err(renderGateConfigError(error));
    return { exitCode: EXIT.usage };
  }
}

// --deployment replaces the built-in modes with the deployed servers: the options about modes or other shapes do not apply.
function refuseDeploymentMix(values: { deployment?: string[]; modes?: string; versions?: string; graces?: string; topology?: string; service?: string; env?: string[]; grace?: string }): void {
  if (values.deployment === undefined) {
    const given = (["service", "env", "grace"] as const).filter((k) => values[k] !== undefined);
    if (given.length > 0) throw new UsageError(`matrix: ${given.map((k) => `--${k}`).join(", ")} ${given.length > 1 ? "apply" : "applies"} to --deployment only (the files whose Redis/Valkey servers become the rows)`);
    return;
  }
  if (values.modes !== undefined) throw new UsageError("matrix: --modes and --deployment cannot be combined: with --deployment each Redis/Valkey server the files deploy is a row, on its own settings. Give one of them.");
  const other = (["versions", "graces", "topology"] as const).filter((k) => values[k] !== undefined);
  if (other.length > 0) throw new UsageError(`matrix: ${other.map((k) => `--${k}`).join(", ")} cannot be combined with --deployment (each deployed server runs on the image it names, or --image)`);
}

// Each deployed server on the image the gate would pick for it; every row's config file is removed if one cannot be prepared.
async function deploymentRows(deployments: readonly Deployment[], session: Session, options: { imageGiven: boolean; faults: readonly Fault<string>[]; datasetMiB: number }, io: CliIo): Promise<DeploymentRow[]> {
  const rows: DeploymentRow[] = [];
  try {
    for (const d of deployments) {
      const { image, note } = await deploymentImage(d, session, options.imageGiven);
      if (note !== undefined) io.err(`[matrix] ${deploymentRowName(d)}: ${note}\n`);
      rows.push(await deploymentRow(d, { image, faults: options.faults.map((f) => f.name), datasetMiB: options.datasetMiB }, (line) => io.err(`[matrix] ${line}\n`)));
    }
    return rows;
  } catch (error) {
    await Promise.all(rows.map((r) => r.remove()));
    throw error;
  }
}

// A row is known by its name in the report, its bounds and a shard's slice: two servers must not share one.
function refuseSameRowNames(deployments: readonly Deployment[]): void {
  const byName = new Map<string, string[]>();
  for (const d of deployments) {
    const name = deploymentRowName(d);
    byName.set(name, [...(byName.get(name) ?? []), d.file ?? d.name]);
  }
  const clash = [...byName.entries()].find(([, files]) => files.length > 1);
  if (clash) throw new UsageError(`matrix: ${clash[1].join(" and ")} would both be the row "${clash[0]}": give the files different names (or run them in separate matrices), so that each row's cells stay its own`);
}

// --shard K/N slices one matrix over CI jobs; the opt-in sweeps that are not cells are not sliced.
function shardOrRefuse(values: { shard?: string; graces?: string; topology?: string }): Shard {
  let shard: Shard;
  try {
    shard = parseShard("--shard", values.shard ?? "");
  } catch (error) {
    throw new UsageError(`matrix: ${(error as Error).message}`);
  }
  if (values.graces !== undefined) throw new UsageError("matrix: --shard and --graces cannot be combined: the grace sweep is not made of cells; run it in a job of its own");
  if (parseTopology(values.topology) === "sentinel") throw new UsageError("matrix: --shard applies to the single-server matrix; --topology sentinel is not sharded yet");
  return shard;
}

// A shard with no cell would write a report that merges into nothing: refused before anything runs.
function shardSlice(planned: readonly PlannedCell[], shard: Shard): { cells: Set<string>; baselines: Set<string> } {
  const cells = shardCells(planned, shard);
  if (cells.length === 0) throw new UsageError(`matrix: shard ${shard.index}/${shard.of} has no cell: this matrix has ${planned.length}; use at most ${planned.length} shards`);
  return { cells: new Set(cells.map(cellKey)), baselines: shardBaselines(planned, shard) };
}

/**
 * A cell needs about two cores: its Redis server, and its writers and checker (in this process's one
 * thread, which every cell running at once shares). Beyond that, loss windows (ms) and write rates are
 * measured under contention and do not compare with a --parallel 1 run; verdicts were the same here
 * (README, "Parallel cells").
 */
export function parallelWarning(parallel: number, cores = os.availableParallelism()): string | undefined {
  if (parallel <= 1 || parallel * 2 <= cores) return undefined;
  const fits = Math.max(1, Math.floor(cores / 2));
  return `--parallel ${parallel} on ${cores} core${cores === 1 ? "" : "s"}: each cell needs about two (its Redis server, and its writers, which share this process); the cells contend, so loss windows and write rates are measured under contention and do not compare with a --parallel 1 run. At most ${fits} here for figures that do.`;
}

// What each row ran, by content: two shards whose config files differ are not one matrix, whatever their names.
async function configDigests(rows: readonly MatrixRowSpec[]): Promise<Record<string, string>> {
  const entries = await Promise.all(rows.map(async (r) => [r.mode, createHash("sha256").update(await readFile(r.configFile)).digest("hex")] as const));
  return Object.fromEntries(entries);
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** "[ 3/30] rdb x sigkill: valid, lost 0 of 6,120, window 0 ms, 18.2k/s, recovery 412 ms (4.1 s) | 0:21 elapsed, ~2:40 left". */
export function progressLine(p: CaseProgress): string {
  const r = p.result;
  const f = r.verdict.figures;
  const width = String(p.total).length;
  return (
    `[${String(p.index).padStart(width)}/${p.total}] ${p.version ? `${p.version}: ` : ""}${r.mode} x ${r.fault}${p.repetition > 1 ? ` (repetition ${p.repetition})` : ""}: ` +
    `${formatVerdict(r.verdict.valid)}, ${describeLoss(f, formatMs)} of ${f.acknowledged.toLocaleString("en-US")} acked, ` +
    `${formatRate(r.throughput.opsPerSecond)}, recovery ${formatMs(r.recoveryMs)} (${formatMs(r.durationMs)}) | ` +
    `${formatClock(p.elapsedMs)} elapsed, ~${formatClock(p.remainingMs)} left`
  );
}

// Power loss asked for by name is never run on a plain directory nor dropped quietly: exit 3 with the reason.
async function namedFaultsOrRefuse(names: string[]): Promise<string[]> {
  const needing = names.filter(needsFaultFs);
  if (needing.length === 0) return names;
  const support = await faultFsSupport();
  if (!support.supported) {
    throw new EnvironmentError(`matrix: ${needing.join(", ")} cannot run here: ${support.reason}. Run it where fault-fs works, or leave ${needing.join(", ")} out of --faults.`);
  }
  return names;
}

// Power loss needs the fault filesystem: where it cannot run, the default drops it out loud.
async function defaultMatrixFaults(io: CliIo): Promise<string[]> {
  const support = await faultFsSupport();
  if (support.supported) return [...DEFAULT_MATRIX_FAULTS];
  io.err(`[matrix] power loss NOT measured: ${support.reason}\n`);
  return DEFAULT_MATRIX_FAULTS.filter((name) => name !== "power-loss");
}
