import type { Contract } from "../../harness/checkers/contract.js";
import { MIN_REPLICAS_LAGS_S, minReplicasContract } from "../../configs/min-replicas.js";
import type { Mode } from "../../configs/modes.js";
import { EVERYSEC_WORST_CASE_MS } from "../../configs/modes.js";
import type { FailoverFaultName } from "../../harness/faults/failover/failover-fault.js";
import type { AckPolicy } from "../../harness/workload/ack-policy.js";

/** A failover contract held against a run it must not pass: the same measurement, judged against the stricter (or wrong-way) contract, must go red. */
export interface FailoverWeakening {
  name: string;
  /** The contract that must say no. */
  contract: Contract;
  contractKind: Contract["kind"];
  fault: FailoverFaultName;
  /** The run it is judged on: the cell's ack policy weakened (or strengthened) from the contract's own. */
  runAcks: AckPolicy;
  /** The persistence mode of that run on every node (default aof-everysec): a contract of one mode judged on another mode's run. */
  runMode?: Mode;
  /** The fault of that run, when it is the contract's fault with its guard taken away (default: `fault`). */
  runFault?: FailoverFaultName;
  /** Lines appended to every node's config for that run: the setting the contract relies on, undone. */
  runConfig?: readonly string[];
  /**
   * What must say no (default: the verdict, false). `failedProof`: the fault's own proof whose claim
   * matches must fail, and no other, so the run is red for the guard's absence and not for some
   * other mishap; the verdict is then false (writes were lost) or unknown (this run's buffers
   * happened to deliver everything). For a weakened run whose loss depends on timing.
   */
  expect?: false | { failedProof: RegExp };
}

/** Every failover weakening `suites/failover.test.ts` runs (may-lose's is a unit test: harness/checkers/check-failover-contract.test.ts). */
export const FAILOVER_WEAKENINGS: FailoverWeakening[] = [
  {
    name: "wait-1's none-lost under primary-partition, with the WAIT removed (acks reply)",
    contract: { kind: "none-lost" },
    contractKind: "none-lost",
    fault: "primary-partition",
    runAcks: "reply",
  },
  {
    name: "reply's some-lost under primary-partition, with a WAIT 1 added (acks wait-1): nothing acknowledged is lost, so the loss the contract asserts is absent",
    contract: { kind: "some-lost" },
    contractKind: "some-lost",
    fault: "primary-partition",
    runAcks: "wait-1",
  },
  {
    name: "none's all-lost under primary-restart-empty, with AOF everysec on every node: the restarted primary reloads its AOF, so the replicas copy the data back",
    contract: { kind: "all-lost" },
    contractKind: "all-lost",
    fault: "primary-restart-empty",
    runAcks: "reply",
    runMode: "aof-everysec",
  },
  {
    name: "aof-everysec's 2 s window under primary-restart-empty, with persistence off (mode none): the primary restarts empty and the replicas resync to nothing",
    contract: { kind: "window", maxMs: EVERYSEC_WORST_CASE_MS },
    contractKind: "window",
    fault: "primary-restart-empty",
    runAcks: "reply",
    runMode: "none",
  },
  {
    name: "none-lost under sentinel-failover, judged on the wait-1 run: the old primary's other replica counts for WAIT 1 until Sentinel reconfigures it, so WAIT does not keep a manual failover from losing (redis issue 6062; measured: 535 of 2,556 lost)",
    contract: { kind: "none-lost" },
    contractKind: "none-lost",
    fault: "sentinel-failover",
    runAcks: "wait-1",
  },
  {
    name: "primary-graceful-stop's none-lost with shutdown-timeout 0 on every node: the primary exits without waiting for its frozen replicas, and the fault's proof (\"0 of 2 replicas are in sync\") says the wait never happened",
    contract: { kind: "none-lost" },
    contractKind: "none-lost",
    fault: "primary-graceful-stop",
    runAcks: "reply",
    runConfig: ["shutdown-timeout 0"],
    expect: { failedProof: /replicas are in sync when shutting down/ },
  },
  {
    name: "primary-graceful-failover's none-lost with the coordination taken away (SENTINEL FAILOVER instead of FAILOVER: no pause, no catch-up)",
    contract: { kind: "none-lost" },
    contractKind: "none-lost",
    fault: "primary-graceful-failover",
    runFault: "sentinel-failover",
    runAcks: "reply",
  },
  ...MIN_REPLICAS_LAGS_S.map(
    (lagS): FailoverWeakening => ({
      name: `min-replicas-max-lag ${lagS}'s failover window (${lagS + 1} s) under primary-partition-long, with min-replicas-to-write removed: the cut-off primary acknowledges until the failover, about 15 s`,
      contract: minReplicasContract(lagS).contract,
      contractKind: "failover-window",
      fault: "primary-partition-long",
      runAcks: "reply",
    }),
  ),
];

/** may-lose can only be broken by corruption or a reordering before the fault: shown on hand-made histories, not on a live group. */
export const MAY_LOSE_UNIT_WEAKENING = {
  name: "may-lose broken by a corrupted record / a reordering before the fault (unit: check-failover-contract.test.ts)",
  contractKind: "may-lose",
  fault: "primary-kill",
} as const;
