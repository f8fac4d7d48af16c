import { describe, expect, inject } from "vitest";
import { AOF_REPAIR_CASES, DISK_FAULT_CASES } from "../configs/disk-fault-contracts.js";
import { FINDINGS } from "../configs/findings.js";
import { MODES } from "../configs/modes.js";
import { faultFsStorage } from "../harness/cell/fault-fs-storage.js";
import { runAofRepair } from "../harness/cell/run-aof-repair.js";
import { runCell } from "../harness/cell/run-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import { diskCaseLabel, diskCasePlan, runRefusalCase } from "./support/disk-case-plan.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { formatMeasurements, measurementMismatch } from "./support/measurements.js";
import { runDiskWeakening, weakeningVerdictLine } from "./support/run-disk-weakening.js";
import { DISK_WEAKENING_SPECS } from "./support/weakening-registry-disk.js";
import { weakenConfig } from "./support/weaken-config.js";

const image = inject("redisImage");
const unsupported = await faultFsUnsupportedReason(image);

describe("disk faults", () => {
  for (const diskCase of DISK_FAULT_CASES) {
    const { outcome } = diskCase;
    const name = `${diskCaseLabel(diskCase.mode, diskCase.settings)} x ${diskCase.fault}: `;
    if (outcome.starts && diskCase.finding) {
      const finding = FINDINGS[diskCase.finding];
      faultFsCase(unsupported, `${name}${describeContract(outcome.expected.contract)} is broken, as finding ${finding.id} records`, async () => {
        const result = await runCell({ ...diskCasePlan(image, diskCase), expected: outcome.expected, expectBroken: true });
        console.log(`${formatCellLine(result)} | ${formatMeasurements(result)} -> ${result.verdict.reasons.join("; ")}`);
        const window = result.verdict.figures.lossWindowMs;
        const reproduces = result.verdict.valid === false && window !== null && window > finding.documentedBoundMs && result.verdict.reasons.some((r) => /loss window/.test(r));
        expect(reproduces, `finding no longer reproduces: update configs/findings.ts (${finding.id}: measured ${finding.measured}; now ${formatCellFailure(result)})`).toBe(true);
        expect(result.proofs.filter((p) => !p.held), "the fault must prove it bit").toEqual([]);
      });
    } else if (outcome.starts) {
      faultFsCase(unsupported, `${name}${describeContract(outcome.expected.contract)}`, async () => {
        const result = await runCell({ ...diskCasePlan(image, diskCase), expected: outcome.expected });
        console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
        expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
        const mismatches = (outcome.measurements ?? []).flatMap((m) => measurementMismatch(m, result) ?? []);
        expect(mismatches, `${formatMeasurements(result)}\n${result.contractSource}`).toEqual([]);
      });
    } else {
      faultFsCase(unsupported, `${name}Redis refuses to start`, async () => {
        const refusal = await runRefusalCase(diskCasePlan(image, diskCase), outcome.logLine, outcome.source);
        console.log(`${name}${refusal.refused ? `refused to start: ${refusal.logLine}` : refusal.why}`);
        expect(refusal.refused ? true : refusal.why, `expected Redis to refuse to start (${outcome.source})`).toBe(true);
      });
    }
  }

  for (const repair of AOF_REPAIR_CASES) {
    const name = diskCaseLabel(repair.mode, repair.settings);
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

describe("weakened configs and faults break the disk-fault contracts", () => {
  for (const weakening of DISK_WEAKENING_SPECS.filter((w) => w.against.of === "disk-fault-case")) {
    const fault = weakening.against.of === "disk-fault-case" ? weakening.against.fault : "";
    faultFsCase(unsupported, `${weakening.name}: the ${fault} case must come out ${String(weakening.expect)}`, async () => {
      const outcome = await runDiskWeakening(image, weakening);
      console.log(weakeningVerdictLine(outcome));
      expect(outcome.came, outcome.detail).toBe(weakening.expect);
    });
  }
});
