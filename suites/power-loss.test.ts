import { describe, expect, inject } from "vitest";
import { POWER_LOSS_CONTRACTS } from "../configs/disk-fault-contracts.js";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { faultFsStorage } from "../harness/cell/fault-fs-storage.js";
import { DEFAULT_WORKLOAD, runCell } from "../harness/cell/run-cell.js";
import type { WorkloadShape } from "../harness/cell/run-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import { DISK_FAULTS } from "../harness/faults/disk-faults.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { formatMeasurements } from "./support/measurements.js";
import { weakenConfig } from "./support/weaken-config.js";

// A process kill cannot tell `always` from `everysec` from `no` (the page cache survives); a power
// cut can. fault-fs keeps unsynced writes in memory and drops them on `lose-unsynced`.
const image = inject("redisImage");
const unsupported = await faultFsUnsupportedReason();

describe("power loss", () => {
  for (const spec of Object.values(MODES)) {
    const expected = POWER_LOSS_CONTRACTS[spec.mode];
    faultFsCase(unsupported, `${spec.mode} x power-loss: ${describeContract(expected.contract)}`, async () => {
      const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected, fault: DISK_FAULTS["power-loss"], image, storage: faultFsStorage(image) });
      console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
      expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    });
  }

  // No writing between the snapshot and the cut: the power goes right after BGSAVE renamed its file.
  const expected = POWER_LOSS_CONTRACTS.rdb;
  faultFsCase(unsupported, `rdb x power-loss-after-bgsave: the completed snapshot loads (${describeContract(expected.contract)})`, async () => {
    const result = await runCell({
      mode: "rdb",
      configFile: MODES.rdb.configFile,
      expected,
      fault: DISK_FAULTS["power-loss-after-bgsave"],
      image,
      storage: faultFsStorage(image),
      workload: { ...DEFAULT_WORKLOAD, writeAfterSnapshotMs: 0 },
    });
    console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
  });
});

interface Weakening {
  name: string;
  mode: Mode;
  replacements: Record<string, string>;
  workload?: Partial<WorkloadShape>;
}

// Each power-loss bound must be able to go red: held against a config weaker than the one it guards.
const weakenings: Weakening[] = [
  { name: "aof-always with `appendfsync no`", mode: "aof-always", replacements: { appendfsync: "appendfsync no" } },
  // 3 s of writes: with nothing fsynced the whole run is lost, a window longer than everysec's 2 s.
  { name: "aof-everysec with `appendfsync no`", mode: "aof-everysec", replacements: { appendfsync: "appendfsync no" }, workload: { writeBeforeMs: 3_000 } },
];

describe("weakened configs break the power-loss contracts", () => {
  for (const weakening of weakenings) {
    faultFsCase(unsupported, `${weakening.name}: the ${weakening.mode} x power-loss contract is broken`, async () => {
      const result = await runCell({
        mode: `${weakening.mode}-weakened`,
        configFile: weakenConfig(MODES[weakening.mode].configFile, weakening.replacements),
        expected: POWER_LOSS_CONTRACTS[weakening.mode],
        fault: DISK_FAULTS["power-loss"],
        image,
        storage: faultFsStorage(image),
        workload: { ...DEFAULT_WORKLOAD, ...weakening.workload },
        expectBroken: true,
      });
      console.log(`${formatCellLine(result)} -> ${result.verdict.reasons.join("; ")}`);
      expect(result.verdict.valid).toBe(false);
      expect(result.verdict.figures.lostAcknowledged).toBeGreaterThan(0);
    });
  }
});
