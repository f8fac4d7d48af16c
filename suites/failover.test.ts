import { describe, expect, inject, it } from "vitest";
import { failoverContract } from "../configs/failover-contracts.js";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
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
const CELL_TIMEOUT_MS = 150_000;
const runs = new Map<string, Promise<FailoverCellResult>>();

function cell(fault: FailoverFaultName, acks: AckPolicy, mode: Mode = "aof-everysec"): Promise<FailoverCellResult> {
  const key = `${mode}/${fault}/${acks}`;
  let run = runs.get(key);
  if (!run) {
    const spec = MODES[mode];
    run = runFailoverCell({ mode: spec.mode, configFile: spec.configFile, expected: failoverContract(mode, acks, fault), fault: FAILOVER_FAULTS[fault], acks, image: inject("redisImage") });
    runs.set(key, run);
  }
  return run;
}

const figuresOf = (r: FailoverCellResult): string =>
  `lost ${r.verdict.figures.lostAcknowledged} of ${r.verdict.figures.acknowledged}, window ${r.verdict.figures.lossWindowMs} ms, failover ${r.recoveryMs} ms, cell ${r.durationMs} ms; ${r.verdict.reasons.join("; ")}`;

// primary-restart-empty's contract depends on the mode, not the acks (the resync empties what WAIT counted):
// `npm test` runs it under reply on aof-everysec and on none; the matrix adds wait-1.
const CASES: { mode: Mode; fault: FailoverFaultName; acks: AckPolicy }[] = [
  ...(Object.keys(FAILOVER_FAULTS) as FailoverFaultName[]).filter((f) => f !== "primary-restart-empty").flatMap((fault) => ACK_POLICIES.map((acks) => ({ mode: "aof-everysec" as Mode, fault, acks }))),
  { mode: "aof-everysec", fault: "primary-restart-empty", acks: "reply" },
  { mode: "none", fault: "primary-restart-empty", acks: "reply" },
];

describe("Sentinel failover (primary, two replicas, three Sentinels; the mode's config on every node)", () => {
  for (const { mode, fault, acks } of CASES) {
    const expected = failoverContract(mode, acks, fault);
    it(`${mode} x ${fault} with acks ${acks}: ${describeContract(expected.contract)}`, { timeout: CELL_TIMEOUT_MS }, async () => {
      const result = await cell(fault, acks, mode);
      process.stderr.write(`[failover] ${mode} x ${fault} / ${acks}: ${figuresOf(result)}; ${JSON.stringify(result.measurements)}\n`);
      expect(result.proofs.every((p) => p.held), JSON.stringify(result.proofs)).toBe(true);
      expect(result.verdict.valid, figuresOf(result)).toBe(true);
      if (expected.contract.kind === "some-lost") expect(result.verdict.figures.lossWindowMs ?? Infinity).toBeGreaterThan(0);
      if (fault === "primary-restart-empty" && expected.contract.kind === "all-lost") {
        // The documented danger itself: the replicas copied the empty primary.
        expect(String(result.measurements?.replicaKeys), "the replicas' key counts after the resync").toMatch(/^\S+ 0, \S+ 0$/);
      }
    });
  }

  describe("each contract goes red on a run it must not pass", () => {
    for (const weakening of FAILOVER_WEAKENINGS) {
      it(weakening.name, { timeout: CELL_TIMEOUT_MS }, async () => {
        const result = await cell(weakening.fault, weakening.runAcks, weakening.runMode);
        const verdict = result.judge(weakening.contract);
        expect(verdict.valid, `${figuresOf(result)}; judged: ${verdict.reasons.join("; ")}`).toBe(false);
      });
    }
  });
});
