import { describe, expect, inject } from "vitest";
import { AOF_REPAIR_CASES, DISK_FAULT_CASES } from "../configs/disk-fault-contracts.js";
import type { DiskFaultCase } from "../configs/disk-fault-contracts.js";
import { MODES } from "../configs/modes.js";
import { faultFsStorage } from "../harness/cell/fault-fs-storage.js";
import { runAofRepair } from "../harness/cell/run-aof-repair.js";
import { DEFAULT_WORKLOAD, runCell } from "../harness/cell/run-cell.js";
import type { CellPlan, WorkloadShape } from "../harness/cell/run-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import { DISK_FAULTS } from "../harness/faults/disk-faults.js";
import type { DiskFaultName } from "../harness/faults/disk-faults.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { formatMeasurements, measurementMismatch } from "./support/measurements.js";
import { weakenConfig } from "./support/weaken-config.js";

const image = inject("redisImage");
const unsupported = await faultFsUnsupportedReason();

function label(mode: string, settings: Record<string, string> | undefined): string {
  return settings ? `${mode} [${Object.values(settings).join(", ")}]` : mode;
}

function planFor(diskCase: DiskFaultCase): Omit<CellPlan, "expected"> {
  const spec = MODES[diskCase.mode];
  return {
    mode: label(diskCase.mode, diskCase.settings),
    configFile: diskCase.settings ? weakenConfig(spec.configFile, diskCase.settings) : spec.configFile,
    fault: DISK_FAULTS[diskCase.fault],
    image,
    storage: faultFsStorage(image),
    workload: { ...DEFAULT_WORKLOAD, ...diskCase.workload },
  };
}

describe("disk faults", () => {
  for (const diskCase of DISK_FAULT_CASES) {
    const { outcome } = diskCase;
    const name = `${label(diskCase.mode, diskCase.settings)} x ${diskCase.fault}: `;
    if (outcome.starts) {
      faultFsCase(unsupported, `${name}${describeContract(outcome.expected.contract)}`, async () => {
        const result = await runCell({ ...planFor(diskCase), expected: outcome.expected });
        console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
        expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
        const mismatches = (outcome.measurements ?? []).flatMap((m) => measurementMismatch(m, result) ?? []);
        expect(mismatches, `${formatMeasurements(result)}\n${result.contractSource}`).toEqual([]);
      });
    } else {
      faultFsCase(unsupported, `${name}Redis refuses to start`, async () => {
        // The contract is never reached: heal's start must fail, and runCell cleans up either way.
        const run = runCell({ ...planFor(diskCase), expected: { contract: { kind: "none-lost" }, source: outcome.source }, expectBroken: true });
        const error = await run.then(
          (result) => new Error(`Redis started after the fault (${formatCellLine(result)}), expected a refusal: ${outcome.source}`),
          (refusal: unknown) => refusal as Error,
        );
        const refusal = error.message.split("\n").find((line) => outcome.logLine.test(line));
        console.log(`${name}refused to start: ${refusal?.replace(/^\S+ [\w ]+ [\d:.]+ [#*] /, "") ?? error.message}`);
        expect(refusal, `${error.message}\n(source: ${outcome.source})`).toBeDefined();
      });
    }
  }

  for (const repair of AOF_REPAIR_CASES) {
    const name = label(repair.mode, repair.settings);
    faultFsCase(unsupported, `${name} x damaged AOF record in the middle: refuses to start, redis-check-aof --fix recovers the prefix`, async () => {
      const result = await runAofRepair({
        mode: name,
        configFile: weakenConfig(MODES[repair.mode].configFile, repair.settings),
        image,
        storage: faultFsStorage(image),
      });
      const { damage } = result;
      console.log(
        `${name} x damaged-aof: refused: ${result.refusal ?? "no, it started"}; zeroed at byte ${damage.offset} of ${damage.fileBytes}; ` +
          `--fix exit ${result.fixExitCode}, dropped ${result.fixDroppedBytes} B = ${damage.commandsFromDamage} commands; ` +
          `${result.acknowledged} acked, ${result.lostAcknowledged} lost, recovery ${result.recoveryMs} ms, Redis ${result.serverVersion}`,
      );
      const where = result.artifactsDir ? ` (artifacts: ${result.artifactsDir})` : "";
      expect(result.refusal, `${repair.refusalSource}${where}`).toMatch(repair.refusal);
      expect(result.fixExitCode, `${repair.fixSource}${where}`).toBe(0);
      expect(result.fixDroppedBytes, repair.fixSource).toBe(damage.fileBytes - damage.offset);
      // Every command in the file was an acknowledged SET: the fix drops exactly those from the damage on.
      expect(result.lostAcknowledged, repair.fixSource).toBe(damage.commandsFromDamage);
      expect({ gaps: result.gaps, corrupted: result.corrupted }).toEqual({ gaps: 0, corrupted: 0 });
    });
  }
});

interface Weakening {
  name: string;
  fault: DiskFaultName;
  replacements: Record<string, string>;
  workload?: Partial<WorkloadShape>;
}

// Each disk-fault bound must be able to go red: held against a config weaker than the one it guards.
const weakenings: Weakening[] = [
  // Under everysec Redis keeps running after a failed fsync and has acknowledged writes it never made durable.
  { name: "aof-always with `appendfsync everysec`", fault: "fsync-error", replacements: { appendfsync: "appendfsync everysec" } },
  // Without an AOF a kill loses the whole run (about 5.5 s), past the 2.5 s bound.
  { name: "aof-everysec with `appendonly no`", fault: "slow-fsync-kill", replacements: { appendonly: "appendonly no" } },
  // Nothing fsynced: the power cut loses the whole run (about 7 s), past the 5 s bound.
  { name: "aof-everysec with `appendfsync no`", fault: "slow-fsync-power-loss", replacements: { appendfsync: "appendfsync no" }, workload: { writeBeforeMs: 3_000 } },
];

describe("weakened configs break the disk-fault contracts", () => {
  for (const weakening of weakenings) {
    const diskCase = DISK_FAULT_CASES.find((c) => c.fault === weakening.fault && c.outcome.starts);
    faultFsCase(unsupported, `${weakening.name}: the ${diskCase?.mode} x ${weakening.fault} contract is broken`, async () => {
      if (!diskCase?.outcome.starts) throw new Error(`DISK_FAULT_CASES has no ${weakening.fault} case with a loss contract`);
      const result = await runCell({
        ...planFor({ ...diskCase, settings: { ...diskCase.settings, ...weakening.replacements }, workload: { ...diskCase.workload, ...weakening.workload } }),
        mode: `${diskCase.mode}-weakened`,
        expected: diskCase.outcome.expected,
        expectBroken: true,
      });
      console.log(`${formatCellLine(result)} | ${formatMeasurements(result)} -> ${result.verdict.reasons.join("; ")}`);
      expect(result.verdict.valid).toBe(false);
      expect(result.verdict.figures.lostAcknowledged).toBeGreaterThan(0);
    });
  }
});
