import { NOTHING_MEASURED } from "../checkers/verdict.js";
import { failoverContract } from "../../configs/failover-contracts.js";
import type { ModeSpec } from "../../configs/modes.js";
import { FAILOVER_WORKLOAD, runFailoverCell } from "../cell/run-failover-cell.js";
import type { CellResult } from "../cell/run-cell.js";
import type { FailoverFault } from "../faults/failover/failover-fault.js";
import { NoDockerEngineError } from "../runtime/docker-engine.js";
import type { AckPolicy } from "../workload/ack-policy.js";
import type { MatrixRun, RunCellResults } from "./build-report.js";
import type { MinReplicasRow } from "./min-replicas-rows.js";
import type { MatrixListener } from "./run-matrix.js";
import { estimateRemainingMs } from "./run-matrix.js";

/** What a `--topology sentinel` matrix covers: modes x failover faults x ack policies, on one image. */
export interface FailoverMatrixPlan {
  runId: string;
  version: string;
  image: { name: string; origin: string };
  modes: ModeSpec[];
  faults: FailoverFault[];
  acks: AckPolicy[];
  repetitions: number;
  /** Cells beyond modes x faults, each under every ack policy (the default set adds none x primary-restart-empty). */
  extraCells?: { mode: ModeSpec; fault: FailoverFault }[];
  /** Modes with min-replicas-to-write 1 (min-replicas-rows.ts): rows of their own under every fault and ack policy. */
  minReplicasRows?: MinReplicasRow[];
}

/** How many cases a plan runs, repetitions included. Pure. */
export function failoverCaseCount(plan: Pick<FailoverMatrixPlan, "modes" | "faults" | "acks" | "repetitions" | "extraCells"> & { minReplicasLags?: readonly number[] }): number {
  const rows = plan.modes.length * (1 + (plan.minReplicasLags?.length ?? 0));
  return (rows * plan.faults.length + (plan.extraCells?.length ?? 0)) * plan.acks.length * plan.repetitions;
}

/** Runs every mode under every failover fault and ack policy `repetitions` times (repetitions outermost). */
export async function runFailoverMatrix(plan: FailoverMatrixPlan, listener: MatrixListener): Promise<MatrixRun<FailoverFault>> {
  const startedAtMs = Date.now();
  const pairs = [...plan.modes.flatMap((mode) => plan.faults.map((fault) => ({ mode, fault }))), ...(plan.extraCells ?? [])];
  const cells: RunCellResults<FailoverFault>[] = pairs.flatMap(({ mode, fault }) =>
    plan.acks.map((acks) => ({ mode, fault, expected: failoverContract(mode.mode, acks, fault.name), results: [] as CellResult[], topology: "sentinel" as const, acks })),
  );
  // The knob's rows keep their max-lag beside the cell: the cell proves the knob refused writes.
  const lagOf = new Map<RunCellResults<FailoverFault>, number>();
  for (const knob of plan.minReplicasRows ?? []) {
    for (const fault of plan.faults) {
      for (const acks of plan.acks) {
        const cell = { mode: knob.row, fault, expected: failoverContract(knob.mode.mode, acks, fault.name, knob.lagS), results: [] as CellResult[], topology: "sentinel" as const, acks };
        cells.push(cell);
        // Only where the knob is the contract (a partition under reply) must it have refused writes: a killed primary refuses none.
        if (cell.expected.contract.kind === "failover-window") lagOf.set(cell, knob.lagS);
      }
    }
  }
  const total = cells.length * plan.repetitions;
  const done: { fault: string; durationMs: number }[] = [];
  for (let repetition = 1; repetition <= plan.repetitions; repetition++) {
    for (const [i, cell] of cells.entries()) {
      const result = await runCase(cell, plan, lagOf.get(cell));
      cell.results.push(result);
      done.push({ fault: cell.fault.name, durationMs: result.durationMs });
      const upcoming = [...cells.slice(i + 1), ...Array.from({ length: plan.repetitions - repetition }, () => cells).flat()].map((c) => ({ fault: c.fault.name, extraMiB: 0 }));
      listener.onCase({ index: done.length, total, repetition, result, elapsedMs: Date.now() - startedAtMs, remainingMs: estimateRemainingMs(done, upcoming) });
    }
  }
  return {
    runId: plan.runId,
    version: plan.version,
    image: plan.image,
    datasetMiB: 0,
    repetitions: plan.repetitions,
    workload: FAILOVER_WORKLOAD,
    wallTimeMs: Date.now() - startedAtMs,
    cells,
    baseline: null,
  };
}

async function runCase(cell: RunCellResults<FailoverFault>, plan: FailoverMatrixPlan, minReplicasLagS: number | undefined): Promise<CellResult> {
  const startedAtMs = Date.now();
  const acks = cell.acks as AckPolicy;
  try {
    return await runFailoverCell({
      mode: cell.mode.mode,
      configFile: cell.mode.configFile,
      expected: cell.expected,
      fault: cell.fault,
      acks,
      image: plan.image.name,
      ...(minReplicasLagS !== undefined ? { minReplicasLagS } : {}),
    });
  } catch (error) {
    if (error instanceof NoDockerEngineError) throw error;
    // One broken cell should not cost the whole matrix: it is reported as "unknown", with the error.
    const message = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" / ") : String(error);
    return {
      mode: cell.mode.mode,
      fault: `${cell.fault.name}`,
      image: plan.image.name,
      serverVersion: "unknown",
      serverVersionAfter: "unknown",
      contractSource: cell.expected.source,
      verdict: { valid: "unknown", contract: cell.expected.contract, reasons: [`the case could not run: ${message}`], figures: NOTHING_MEASURED, evidence: [] },
      throughput: { acknowledged: 0, opsPerSecond: 0, p50Ms: 0, p99Ms: 0 },
      recoveryMs: 0,
      datasetKeys: 0,
      dataDirBytes: 0,
      durationMs: Date.now() - startedAtMs,
      proofs: [],
    };
  }
}
