import { describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { runCell } from "../harness/cell/run-cell.js";
import type { FaultName } from "../harness/faults/fault.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { formatCellLine } from "./support/format-cell.js";
import { weakenConfig } from "./support/weaken-config.js";

// The conformance cases can only be trusted if they can go red: here each contract is held
// against a config (or a fault) weaker than the one it guards, and must be found broken.
const image = inject("redisImage");

interface Weakening {
  name: string;
  mode: Mode;
  contractOf: FaultName;
  runs: FaultName;
  replacements: Record<string, string>;
}

const weakenings: Weakening[] = [
  { name: "aof-always with `appendonly no`", mode: "aof-always", contractOf: "sigkill", runs: "sigkill", replacements: { appendonly: "appendonly no" } },
  { name: "rdb without save points", mode: "rdb", contractOf: "graceful-stop", runs: "graceful-stop", replacements: { save: 'save ""' } },
  { name: "rdb-aof with `appendonly no` under a short grace", mode: "rdb-aof", contractOf: "short-grace", runs: "short-grace", replacements: { appendonly: "appendonly no" } },
  { name: "aof-always with its volume dropped", mode: "aof-always", contractOf: "recreate-same-volume", runs: "recreate-without-volume", replacements: {} },
];

describe("weakened configs break their contracts", () => {
  for (const weakening of weakenings) {
    it(`${weakening.name}: the ${weakening.mode} x ${weakening.contractOf} contract is broken`, async () => {
      const spec = MODES[weakening.mode];
      const configFile = Object.keys(weakening.replacements).length ? weakenConfig(spec.configFile, weakening.replacements) : spec.configFile;
      const result = await runCell({
        mode: `${weakening.mode}-weakened`,
        configFile,
        expected: spec.contracts[weakening.contractOf],
        fault: PROCESS_FAULTS[weakening.runs],
        image,
        expectBroken: true,
      });
      console.log(`${formatCellLine(result)} -> ${result.verdict.reasons.join("; ")}`);
      expect(result.verdict.valid).toBe(false);
      expect(result.verdict.figures.lostAcknowledged).toBeGreaterThan(0);
    });
  }
});
