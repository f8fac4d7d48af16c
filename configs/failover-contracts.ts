import type { SourcedContract } from "./modes.js";
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
} as const;

/**
 * The contract of each ack policy under each failover fault, with the statement it comes from.
 * Real-time order: among the writes invoked before the fault (all went to the old primary) it must
 * hold, since a promoted replica holds a prefix of the old primary's replication stream; after the
 * fault replication may reorder by design (a client's writes to the new primary survive its lost
 * writes to the old one), so no gap or order check spans the failover. Under `wait-1` nothing is
 * lost, so no reordering can be seen at all.
 */
export const FAILOVER_CONTRACTS: Record<AckPolicy, Record<FailoverFaultName, SourcedContract>> = {
  reply: {
    "primary-kill": { contract: { kind: "may-lose" }, source: cite.asyncFailover },
    "primary-partition": { contract: { kind: "some-lost" }, source: cite.partitionLoses },
  },
  "wait-1": {
    "primary-kill": { contract: { kind: "none-lost" }, source: cite.waitLikely },
    "primary-partition": { contract: { kind: "none-lost" }, source: cite.waitPartition },
  },
};
