import { describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { runCell } from "../harness/cell/run-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";

const image = inject("redisImage");

for (const spec of Object.values(MODES)) {
  describe(`mode ${spec.mode}`, () => {
    for (const fault of Object.values(PROCESS_FAULTS)) {
      const expected = spec.contracts[fault.name];
      it(`${spec.mode} x ${fault.name}: ${describeContract(expected.contract)}`, async () => {
        const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected, fault, image });
        console.log(formatCellLine(result));
        expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
      });
    }
  });
}
