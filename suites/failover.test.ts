import { describe, expect, inject, it } from "vitest";
import { FAILOVER_CONTRACTS } from "../configs/failover-contracts.js";
import { MODES } from "../configs/modes.js";
import { runFailoverCell } from "../harness/cell/run-failover-cell.js";
import type { FailoverCellResult } from "../harness/cell/run-failover-cell.js";
import { describeContract } from "../harness/checkers/contract.js";
import type { FailoverFaultName } from "../harness/faults/failover/failover-fault.js";
import { FAILOVER_FAULTS } from "../harness/faults/failover/index.js";
import type { AckPolicy } from "../harness/workload/ack-policy.js";
import { ACK_POLICIES } from "../harness/workload/ack-policy.js";
import { FAILOVER_WEAKENINGS } from "./support/failover-weakenings.js";

// Each cell runs once (about 30-45 s here: the group's start and the old primary's rejoin dominate)
// and is shared by its contract's case and the weakenings judged on the same measurement.
const MODE = MODES["aof-everysec"];
const CELL_TIMEOUT_MS = 150_000;
const runs = new Map<string, Promise<FailoverCellResult>>();

function cell(fault: FailoverFaultName, acks: AckPolicy): Promise<FailoverCellResult> {
  const key = `${fault}/${acks}`;
  let run = runs.get(key);
  if (!run) {
    run = runFailoverCell({ mode: MODE.mode, configFile: MODE.configFile, expected: FAILOVER_CONTRACTS[acks][fault], fault: FAILOVER_FAULTS[fault], acks, image: inject("redisImage") });
    runs.set(key, run);
  }
  return run;
}

const figuresOf = (r: FailoverCellResult): string =>
  `lost ${r.verdict.figures.lostAcknowledged} of ${r.verdict.figures.acknowledged}, window ${r.verdict.figures.lossWindowMs} ms, failover ${r.recoveryMs} ms, cell ${r.durationMs} ms; ${r.verdict.reasons.join("; ")}`;

describe("Sentinel failover (primary, two replicas, three Sentinels; aof-everysec on every node)", () => {
  for (const fault of Object.keys(FAILOVER_FAULTS) as FailoverFaultName[]) {
    for (const acks of ACK_POLICIES) {
      const expected = FAILOVER_CONTRACTS[acks][fault];
      it(`${fault} with acks ${acks}: ${describeContract(expected.contract)}`, { timeout: CELL_TIMEOUT_MS }, async () => {
        const result = await cell(fault, acks);
        process.stderr.write(`[failover] ${fault} / ${acks}: ${figuresOf(result)}\n`);
        expect(result.proofs.every((p) => p.held), JSON.stringify(result.proofs)).toBe(true);
        expect(result.verdict.valid, figuresOf(result)).toBe(true);
        if (expected.contract.kind === "some-lost") expect(result.verdict.figures.lossWindowMs ?? Infinity).toBeGreaterThan(0);
      });
    }
  }

  describe("each contract goes red on a run it must not pass", () => {
    for (const weakening of FAILOVER_WEAKENINGS) {
      it(weakening.name, { timeout: CELL_TIMEOUT_MS }, async () => {
        const result = await cell(weakening.fault, weakening.runAcks);
        const verdict = result.judge(weakening.contract);
        expect(verdict.valid, `${figuresOf(result)}; judged: ${verdict.reasons.join("; ")}`).toBe(false);
      });
    }
  });
});
