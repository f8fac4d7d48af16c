import path from "node:path";
import { MODES, modeNamed } from "../../configs/modes.js";
import type { ModeSpec } from "../../configs/modes.js";
import type { FailoverFault } from "../faults/failover/failover-fault.js";
import { DEFAULT_FAILOVER_FAULTS, FAILOVER_FAULTS, failoverFaultNamed } from "../faults/failover/index.js";
import { buildReport } from "../report/build-report.js";
import { documentedBounds } from "../report/documented-bounds.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { Topology } from "../report/report.js";
import { minReplicasRows } from "../report/min-replicas-rows.js";
import { failoverCaseCount, runFailoverMatrix } from "../report/run-failover-matrix.js";
import { writeReport } from "../report/write-report.js";
import { ACK_POLICIES, DEFAULT_ACK_POLICIES, ackPolicyNamed } from "../workload/ack-policy.js";
import type { AckPolicy } from "../workload/ack-policy.js";
import { EXIT, UsageError } from "./exit-codes.js";
import type { MatrixOutcome } from "./matrix-command.js";
import { progressLine } from "./matrix-command.js";
import { parseDurationMs, parseNameList, parseRate, parseWholeNumber } from "./options.js";
import type { CliIo } from "./session-scope.js";
import { withSession } from "./session-scope.js";
import { toolInfo } from "./tool-info.js";

/** The topologies `matrix --topology` knows. */
export const TOPOLOGIES: readonly Topology[] = ["single", "sentinel"];

/** The options of `matrix` a sentinel run reads (as parsed), and those it refuses. */
export interface FailoverMatrixValues {
  modes?: string;
  faults?: string;
  acks?: string;
  "min-replicas"?: string;
  image?: string;
  repetitions?: string;
  out?: string;
  "max-loss"?: string;
  "min-throughput"?: string;
  versions?: string;
  graces?: string;
  "dataset-size"?: string;
  "dataset-sizes"?: string;
}

/** Parses --topology (default single); an unknown value is a usage error naming the known ones. */
export function parseTopology(text: string | undefined): Topology {
  if (text === undefined) return "single";
  const topology = text.trim();
  if (!(TOPOLOGIES as readonly string[]).includes(topology)) throw new UsageError(`--topology: unknown value "${text}"; known values: ${TOPOLOGIES.join(", ")}`);
  return topology as Topology;
}

/**
 * The cells a sentinel run covers: --modes (default aof-everysec) x --faults (default
 * DEFAULT_FAILOVER_FAULTS) x --acks (default reply and wait-1; waitaof-1-1 on request), plus,
 * without --modes, primary-restart-empty on `none` (the documented
 * danger is a primary without persistence). Refuses unknown names (usage errors). Pure.
 */
export function failoverSelection(values: Pick<FailoverMatrixValues, "modes" | "faults" | "acks" | "min-replicas">): {
  modes: ModeSpec[];
  faults: FailoverFault[];
  acks: AckPolicy[];
  extraCells: { mode: ModeSpec; fault: FailoverFault }[];
  minReplicasLags: number[];
} {
  // The failover default: the mode the issue measures first; any mode can be named.
  const modes = (values.modes ? parseNameList("--modes", values.modes, Object.keys(MODES)) : ["aof-everysec"]).map(modeNamed);
  const faults = (values.faults ? parseNameList("--faults", values.faults, Object.keys(FAILOVER_FAULTS)) : DEFAULT_FAILOVER_FAULTS).map(failoverFaultNamed);
  // Without --modes, primary-restart-empty also runs on `none`: the documented danger is a primary without persistence.
  const extraCells = values.modes ? [] : faults.filter((f) => f.name === "primary-restart-empty").map((fault) => ({ mode: MODES.none, fault }));
  const acks = (values.acks ? parseNameList("--acks", values.acks, ACK_POLICIES) : [...DEFAULT_ACK_POLICIES]).map(ackPolicyNamed);
  return { modes, faults, acks, extraCells, minReplicasLags: parseMinReplicasLags(values["min-replicas"]) };
}

/**
 * --min-replicas 2,10: each mode also runs with min-replicas-to-write 1 and each max-lag (whole
 * seconds, 1-60), as rows of their own. Pure.
 */
export function parseMinReplicasLags(text: string | undefined): number[] {
  if (text === undefined) return [];
  const lags = text.split(",").map((part) => part.trim());
  if (lags.some((lag) => !/^\d+$/.test(lag) || Number(lag) < 1 || Number(lag) > 60)) {
    throw new UsageError(`--min-replicas ${text}: expected min-replicas-max-lag values in whole seconds from 1 to 60, comma-separated, e.g. --min-replicas 2,10`);
  }
  return [...new Set(lags.map(Number))];
}

/** `matrix --topology sentinel`: modes x failover faults x ack policies on a Sentinel group; writes the three report files. */
export async function failoverMatrixCommand(values: FailoverMatrixValues, io: CliIo): Promise<MatrixOutcome> {
  for (const option of ["versions", "graces", "dataset-size", "dataset-sizes"] as const) {
    if (values[option] !== undefined) throw new UsageError(`matrix: --${option} does not apply to --topology sentinel (yet); leave it out`);
  }
  const { modes, faults, acks, extraCells, minReplicasLags } = failoverSelection(values);
  const repetitions = values.repetitions !== undefined ? parseWholeNumber("--repetitions", values.repetitions, 1) : 1;
  const needs = {
    maxLossMs: values["max-loss"] !== undefined ? parseDurationMs("--max-loss", values["max-loss"]) : 1_000,
    minOpsPerSecond: values["min-throughput"] !== undefined ? parseRate("--min-throughput", values["min-throughput"]) : 5_000,
  };
  const outDir = path.resolve(values.out ?? "reports");
  const knobs = await minReplicasRows(modes, minReplicasLags);
  try {
    return await withSession(io, values.image, async (session) => {
      const total = failoverCaseCount({ modes, faults, acks, repetitions, extraCells, minReplicasLags });
      const extra = extraCells.length > 0 ? ` (+ none x primary-restart-empty)` : "";
      const knob = minReplicasLags.length > 0 ? ` (each also with min-replicas-max-lag ${minReplicasLags.join(", ")} s)` : "";
      io.err(`[matrix] sentinel topology: ${modes.length} modes${knob} x ${faults.length} faults${extra} x ${acks.length} ack policies x ${repetitions} = ${total} cases on ${session.image.name}\n`);
      const run = await runFailoverMatrix(
        { runId: session.runId, version: values.image ?? "default", image: { name: session.image.name, origin: session.image.origin }, modes, faults, acks, repetitions, extraCells, minReplicasRows: knobs.rows },
        {
          onCase: (progress) => io.err(`${progressLine({ ...progress, result: { ...progress.result, fault: `${progress.result.fault} (acks ${acksOf(progress.result)})` } })}\n`),
          onNote: (line) => io.err(`[matrix] ${line}\n`),
        },
      );
      const report = buildReport([run], needs, documentedBounds([...modes, ...extraCells.map((c) => c.mode), ...knobs.rows.map((k) => k.row)]), toolInfo());
      const { files, schemaErrors } = await writeReport(report, outDir);
      io.out(renderTerminal(report));
      io.out(`\nwrote ${files.json}\n      ${files.markdown}\n      ${files.html}\n`);
      if (schemaErrors.length > 0) io.err(`[matrix] report.json does not match its schema (a bug, please report):\n  ${schemaErrors.join("\n  ")}\n`);
      const held = report.cells.every((c) => (c.verdict === true || c.verdict === "not-applicable") && c.consistent);
      return { exitCode: held ? EXIT.ok : EXIT.failed, report, files };
    });
  } finally {
    await knobs.remove();
  }
}

function acksOf(result: object): string {
  return "acks" in result ? String(result.acks) : "?";
}
