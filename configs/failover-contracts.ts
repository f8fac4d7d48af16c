import type { Mode, SourcedContract } from "./modes.js";
import { MODES } from "./modes.js";
import type { FailoverFaultName } from "../harness/faults/failover/failover-fault.js";
import type { AckPolicy } from "../harness/workload/ack-policy.js";

const cite = {
  asyncFailover:
    "redis.io Sentinel docs (Consistency under partitions): \"Sentinel + Redis distributed system does not guarantee that acknowledged writes are retained during failures\": replication is asynchronous, so a promoted replica may lack the primary's last acknowledged writes",
  partitionLoses:
    "redis.io Sentinel docs, the partition example: clients that can still reach the old primary keep writing to it, and when the partition heals it becomes a replica and \"all the data written during the partition will be lost\"; Jepsen, \"Call me maybe: Redis\" (2013) lost 56 % of acknowledged writes this way",
  waitLikely:
    "redis.io WAIT docs: after WAIT reports N replicas, \"if the master fails ... the replica having the write is more likely (but not guaranteed) to be promoted\" (Sentinel promotes the replica with the largest replication offset at equal priority); likely, not guaranteed: a run that loses one is recorded as a finding, not a wider bound",
  waitPartition:
    "redis.io WAIT docs: WAIT returns the replicas that acknowledged the write; cut off from every replica, WAIT 1 reports 0, so nothing the old primary took after the cut counts as acknowledged, and what it acknowledged before reached a replica that Sentinel (largest offset first) is likely, not certain, to promote",
  restartEmpty:
    "redis.io replication docs (redis.io/topics/replication, \"Safety of replication when master has persistence turned off\"): a master with persistence off and an auto-restart \"restarts with an empty data set\", and its replicas \"will replicate from node A, which is empty, so they'll effectively destroy their copy of the data\"; \"the master can restart fast enough for Sentinel to not detect a failure, so that the failure mode described above happens\"; the page advises persistence \"turned on in the master and in the replicas\"",
} as const;

/** A fault whose contract depends on the acks alone (the others depend on the persistence mode). */
export type AckBoundFaultName = Exclude<FailoverFaultName, "primary-restart-empty">;

/**
 * The contract of each ack policy under each failover fault, with the statement it comes from.
 * Real-time order: among the writes invoked before the fault (all went to the old primary) it must
 * hold, since a promoted replica holds a prefix of the old primary's replication stream; after the
 * fault replication may reorder by design (a client's writes to the new primary survive its lost
 * writes to the old one), so no gap or order check spans the failover. Under `wait-1` nothing is
 * lost, so no reordering can be seen at all.
 */
export const FAILOVER_CONTRACTS: Record<AckPolicy, Record<AckBoundFaultName, SourcedContract>> = {
  reply: {
    "primary-kill": { contract: { kind: "may-lose" }, source: cite.asyncFailover },
    "primary-partition": { contract: { kind: "some-lost" }, source: cite.partitionLoses },
  },
  "wait-1": {
    "primary-kill": { contract: { kind: "none-lost" }, source: cite.waitLikely },
    "primary-partition": { contract: { kind: "none-lost" }, source: cite.waitPartition },
  },
};

/**
 * primary-restart-empty under a mode: no failover happens, so the group keeps exactly what the
 * restarted primary loads from its own disk after a SIGKILL, which its replicas then copy by a
 * full resync: the mode's single-node sigkill contract (configs/modes.ts) with the replication
 * docs' statement beside its own source. Without persistence that is everything lost
 * ("all-lost"); AOF everysec keeps all but its documented window (about 1 s, 2 s worst case:
 * "window"); aof-always and aof-no lose nothing to a process kill. Real-time order holds among
 * the writes before the restart (one AOF keeps a prefix). The ack policy does not matter: WAIT
 * reports replicas that the resync then empties.
 */
export function restartEmptyContract(mode: Mode): SourcedContract {
  const sigkill = MODES[mode].contracts.sigkill;
  return { contract: sigkill.contract, source: `${cite.restartEmpty}; what the primary loads after the kill: ${sigkill.source}` };
}

/** The contract of a failover cell: its fault under its ack policy, or (primary-restart-empty) under its mode. */
export function failoverContract(mode: Mode, acks: AckPolicy, fault: FailoverFaultName): SourcedContract {
  return fault === "primary-restart-empty" ? restartEmptyContract(mode) : FAILOVER_CONTRACTS[acks][fault];
}
