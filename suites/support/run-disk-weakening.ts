import { POWER_LOSS_CONTRACTS } from "../../configs/disk-fault-contracts.js";
import { AFTER_BGSAVE_EXPECTATION } from "../../configs/disk-fault-contracts.js";
import { MODES } from "../../configs/modes.js";
import { faultFsStorage } from "../../harness/cell/fault-fs-storage.js";
import { DEFAULT_WORKLOAD, runCell } from "../../harness/cell/run-cell.js";
import type { CellPlan, CellResult } from "../../harness/cell/run-cell.js";
import type { Validity } from "../../harness/checkers/verdict.js";
import { DISK_FAULTS } from "../../harness/faults/disk-faults.js";
import { afterBgsavePlan, diskCasePlan, runRefusalCase } from "./disk-case-plan.js";
import { formatCellFailure, formatCellLine } from "./format-cell.js";
import { formatMeasurements } from "./measurements.js";
import { weakenConfig } from "./weaken-config.js";
import { WEAKENED_DISK_FAULTS } from "./weakened-disk-faults.js";
import { diskCaseOf } from "./weakening-registry-disk.js";
import type { DiskWeakeningSpec } from "./weakening-registry-disk.js";

/** How a weakened disk case came out: its verdict, or for a refusal case whether Redis started. */
export interface DiskWeakeningOutcome {
  name: string;
  came: Validity | "starts" | "refused";
  /** The figures and reasons, for the log and for a failing expectation. */
  detail: string;
}

function configOf(configFile: string, replacements: Record<string, string>): string {
  return Object.keys(replacements).length ? weakenConfig(configFile, replacements) : configFile;
}

function judged(name: string, result: CellResult): DiskWeakeningOutcome {
  return { name, came: result.verdict.valid, detail: `${formatCellLine(result)} | ${formatMeasurements(result)} -> ${result.verdict.reasons.join("; ")}\n${formatCellFailure(result)}` };
}

/** Runs one disk weakening on an image, as its registry entry describes it. */
export async function runDiskWeakening(image: string, weakening: DiskWeakeningSpec): Promise<DiskWeakeningOutcome> {
  const { against } = weakening;
  const fault = weakening.runs ? WEAKENED_DISK_FAULTS[weakening.runs] : undefined;
  const extra: Partial<CellPlan> = { expectBroken: true, ...(weakening.datasetMiB ? { datasetMiB: weakening.datasetMiB } : {}) };
  switch (against.of) {
    case "power-loss": {
      const plan: CellPlan = {
        mode: `${against.mode}-weakened`,
        configFile: configOf(MODES[against.mode].configFile, weakening.replacements),
        expected: POWER_LOSS_CONTRACTS[against.mode],
        fault: fault ?? DISK_FAULTS["power-loss"],
        image,
        storage: faultFsStorage(image, weakening.disk),
        workload: { ...DEFAULT_WORKLOAD, ...weakening.workload },
        ...extra,
      };
      return judged(weakening.name, await runCell(plan));
    }
    case "power-loss-after-bgsave": {
      const plan = afterBgsavePlan(image, configOf(MODES.rdb.configFile, weakening.replacements), weakening.disk);
      return judged(weakening.name, await runCell({ ...plan, mode: "rdb-weakened", expected: AFTER_BGSAVE_EXPECTATION.contract, ...extra }));
    }
    case "disk-fault-case": {
      const diskCase = diskCaseOf(against);
      const weakened = { ...diskCase, settings: { ...diskCase.settings, ...weakening.replacements }, workload: { ...diskCase.workload, ...weakening.workload } };
      const plan = { ...diskCasePlan(image, weakened, fault, weakening.disk), mode: `${diskCase.mode}-weakened`, ...extra };
      if (!diskCase.outcome.starts) {
        const refusal = await runRefusalCase(plan, diskCase.outcome.logLine, diskCase.outcome.source);
        return { name: weakening.name, came: refusal.refused ? "refused" : "starts", detail: refusal.refused ? `refused: ${refusal.logLine}` : refusal.why };
      }
      return judged(weakening.name, await runCell({ ...plan, expected: diskCase.outcome.expected }));
    }
  }
}

/** The line a weakened case prints: what came out, and why. */
export function weakeningVerdictLine(outcome: DiskWeakeningOutcome): string {
  return `${outcome.name}: came out ${String(outcome.came)}: ${outcome.detail.split("\n")[0]}`;
}
