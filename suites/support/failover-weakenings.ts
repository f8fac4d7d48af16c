import type { Contract } from "../../harness/checkers/contract.js";
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
];

/** may-lose can only be broken by corruption or a reordering before the fault: shown on hand-made histories, not on a live group. */
export const MAY_LOSE_UNIT_WEAKENING = {
  name: "may-lose broken by a corrupted record / a reordering before the fault (unit: check-failover-contract.test.ts)",
  contractKind: "may-lose",
  fault: "primary-kill",
} as const;
