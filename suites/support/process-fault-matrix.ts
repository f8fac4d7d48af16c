import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import { runCell } from "../../harness/cell/run-cell.js";
import { describeContract } from "../../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../../harness/faults/index.js";
import { formatCellFailure, formatCellLine } from "./format-cell.js";

/**
 * Registers every mode x process fault as one test each, on the image `image()` names when the
 * test runs. A cell the mode table declares not applicable must come out so, and is then
 * reported as skipped with the reason: shown, never counted as passed.
 */
export function defineProcessFaultMatrix(label: string, image: () => string): void {
  for (const spec of Object.values(MODES)) {
    describe(`${label} mode ${spec.mode}`, () => {
      for (const fault of Object.values(PROCESS_FAULTS)) {
        const expected = spec.contracts[fault.name];
        const notApplicable = spec.notApplicable?.[fault.name];
        const title = notApplicable ? `not applicable (${notApplicable})` : describeContract(expected.contract);
        it(`${spec.mode} x ${fault.name}: ${title}`, async (test) => {
          const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected, fault, image: image() });
          console.log(formatCellLine(result));
          expect(result.verdict.valid, formatCellFailure(result)).toBe(notApplicable ? "not-applicable" : true);
          if (notApplicable) test.skip(`not applicable, as expected: ${result.notApplicable ?? ""}`);
        });
      }
    });
  }
}
