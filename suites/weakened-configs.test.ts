import { describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { DEFAULT_WORKLOAD, runCell } from "../harness/cell/run-cell.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { formatCellLine } from "./support/format-cell.js";
import { weakenConfig } from "./support/weaken-config.js";
import { WEAKENED_FAULTS } from "./support/weakened-faults.js";
import { PROCESS_WEAKENINGS } from "./support/weakenings.js";

// The conformance cases can only be trusted if they can go red: here each contract is held
// against a config (or a fault) weaker than the one it guards, and must be found broken, or
// unable to speak for the contract when the fault cannot prove it bit.
const image = inject("redisImage");

describe("weakened configs and faults break their contracts", () => {
  for (const weakening of PROCESS_WEAKENINGS) {
    it(`${weakening.name}: the ${weakening.mode} x ${weakening.contractOf} contract is ${weakening.expect === false ? "broken" : "unknown"}`, async () => {
      const spec = MODES[weakening.mode];
      const configFile = Object.keys(weakening.replacements).length ? weakenConfig(spec.configFile, weakening.replacements) : spec.configFile;
      const fault = weakening.runs in WEAKENED_FAULTS ? WEAKENED_FAULTS[weakening.runs as keyof typeof WEAKENED_FAULTS] : PROCESS_FAULTS[weakening.runs as keyof typeof PROCESS_FAULTS];
      const result = await runCell({
        mode: `${weakening.mode}-weakened`,
        configFile,
        expected: spec.contracts[weakening.contractOf],
        fault,
        image,
        expectBroken: true,
        workload: { ...DEFAULT_WORKLOAD, writeBeforeMs: weakening.writeBeforeMs ?? DEFAULT_WORKLOAD.writeBeforeMs },
      });
      console.log(`${formatCellLine(result)} -> ${result.verdict.reasons.join("; ")}`);
      expect(result.verdict.valid, result.verdict.reasons.join("; ")).toBe(weakening.expect);
    });
  }
});
