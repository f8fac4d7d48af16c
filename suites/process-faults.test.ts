import { describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { runCell } from "../harness/cell/run-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { formatCellFailure } from "./support/format-cell.js";

const image = inject("redisImage");

describe.each(Object.values(MODES))("mode $mode", (spec) => {
  it.each(Object.values(PROCESS_FAULTS).map((fault) => ({ fault, expected: spec.contracts[fault.name] })))(
    `${spec.mode} x $fault.name: $expected.contract.kind`,
    async ({ fault, expected }) => {
      const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected, fault, image });
      const { figures } = result.verdict;
      console.log(
        `${spec.mode} x ${fault.name} [${describeContract(expected.contract)}]: ${figures.acknowledged} acked, ` +
          `${figures.lostAcknowledged} lost, window ${figures.lossWindowMs} ms, recovery ${result.recoveryMs} ms, ` +
          `Redis ${result.serverVersion}`,
      );
      expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    },
  );
});
