import path from "node:path";
import { MODES, modeNamed } from "../../configs/modes.js";
import type { ModeSpec } from "../../configs/modes.js";
import type { FailoverFault } from "../faults/failover/failover-fault.js";
import { FAILOVER_FAULTS, failoverFaultNamed } from "../faults/failover/index.js";
import { buildReport } from "../report/build-report.js";
import { documentedBounds } from "../report/documented-bounds.js";
import { renderTerminal } from "../report/render-terminal.js";
import type { Topology } from "../report/report.js";
import { failoverCaseCount, runFailoverMatrix } from "../report/run-failover-matrix.js";
import { writeReport } from "../report/write-report.js";
import { ACK_POLICIES, ackPolicyNamed } from "../workload/ack-policy.js";
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
 * The cells a sentinel run covers: --modes (default aof-everysec) x --faults (default all) x
 * --acks (default all), plus, without --modes, primary-restart-empty on `none` (the documented
 * danger is a primary without persistence). Refuses unknown names (usage errors). Pure.
 */
export function failoverSelection(values: Pick<FailoverMatrixValues, "modes" | "faults" | "acks">): {
  modes: ModeSpec[];
  faults: FailoverFault[];
  acks: AckPolicy[];
  extraCells: { mode: ModeSpec; fault: FailoverFault }[];
} {
  // The failover default: the mode the issue measures first; any mode can be named.
  const modes = (values.modes ? parseNameList("--modes", values.modes, Object.keys(MODES)) : ["aof-everysec"]).map(modeNamed);
  const faults = (values.faults ? parseNameList("--faults", values.faults, Object.keys(FAILOVER_FAULTS)) : Object.keys(FAILOVER_FAULTS)).map(failoverFaultNamed);
  // Without --modes, primary-restart-empty also runs on `none`: the documented danger is a primary without persistence.
  const extraCells = values.modes ? [] : faults.filter((f) => f.name === "primary-restart-empty").map((fault) => ({ mode: MODES.none, fault }));
  const acks = (values.acks ? parseNameList("--acks", values.acks, ACK_POLICIES) : [...ACK_POLICIES]).map(ackPolicyNamed);
  return { modes, faults, acks, extraCells };
}

/** `matrix --topology sentinel`: modes x failover faults x ack policies on a Sentinel group; writes the three report files. */
export async function failoverMatrixCommand(values: FailoverMatrixValues, io: CliIo): Promise<MatrixOutcome> {
  for (const option of ["versions", "graces", "dataset-size", "dataset-sizes"] as const) {
    if (values[option] !== undefined) throw new UsageError(`matrix: --${option} does not apply to --topology sentinel (yet); leave it out`);
  }
  const { modes, faults, acks, extraCells } = failoverSelection(values);
  const repetitions = values.repetitions !== undefined ? parseWholeNumber("--repetitions", values.repetitions, 1) : 1;
  const needs = {
    maxLossMs: values["max-loss"] !== undefined ? parseDurationMs("--max-loss", values["max-loss"]) : 1_000,
    minOpsPerSecond: values["min-throughput"] !== undefined ? parseRate("--min-throughput", values["min-throughput"]) : 5_000,
  };
  const outDir = path.resolve(values.out ?? "reports");
  return withSession(io, values.image, async (session) => {
    const total = failoverCaseCount({ modes, faults, acks, repetitions, extraCells });
    const extra = extraCells.length > 0 ? ` (+ none x primary-restart-empty)` : "";
    io.err(`[matrix] sentinel topology: ${modes.length} modes x ${faults.length} faults${extra} x ${acks.length} ack policies x ${repetitions} = ${total} cases on ${session.image.name}\n`);
    const run = await runFailoverMatrix(
      { runId: session.runId, version: values.image ?? "default", image: { name: session.image.name, origin: session.image.origin }, modes, faults, acks, repetitions, extraCells },
      {
        onCase: (progress) => io.err(`${progressLine({ ...progress, result: { ...progress.result, fault: `${progress.result.fault} (acks ${acksOf(progress.result)})` } })}\n`),
        onNote: (line) => io.err(`[matrix] ${line}\n`),
      },
    );
    const report = buildReport([run], needs, documentedBounds([...modes, ...extraCells.map((c) => c.mode)]), toolInfo());
    const { files, schemaErrors } = await writeReport(report, outDir);
    io.out(renderTerminal(report));
    io.out(`\nwrote ${files.json}\n      ${files.markdown}\n      ${files.html}\n`);
    if (schemaErrors.length > 0) io.err(`[matrix] report.json does not match its schema (a bug, please report):\n  ${schemaErrors.join("\n  ")}\n`);
    const held = report.cells.every((c) => (c.verdict === true || c.verdict === "not-applicable") && c.consistent);
    return { exitCode: held ? EXIT.ok : EXIT.failed, report, files };
  });
}

function acksOf(result: object): string {
  return "acks" in result ? String(result.acks) : "?";
}
