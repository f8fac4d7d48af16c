import type { Mode, SourcedContract } from "./modes.js";
import { MODES } from "./modes.js";
import type { MinReplicasLagS } from "./min-replicas.js";
import { minReplicasContract } from "./min-replicas.js";
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
  manualFailover:
    "redis.io Sentinel docs (Sentinel API): SENTINEL FAILOVER \"Force[s] a failover as if the master was not reachable, and without asking for agreement to other Sentinels\"; redis/redis issue 6062 (\"Triggering manual failover causes write loss\"): after SENTINEL FAILOVER the old master \"accepts writes even after the sentinels know he's been demoted\" and loses them when it is turned into a replica; valkey-io/valkey PR 1238: SENTINEL FAILOVER sends REPLICAOF NO ONE to the chosen replica and only then reconfigures the old primary, so \"if the old primary has written to it before the role change during the failover, these writes will be lost\"",
  manualFailoverWait:
    "redis/redis issue 6062 and valkey-io/valkey PR 1238 as for reply; redis.io WAIT docs: WAIT \"does not turn a set of Redis instances into a CP system\": the old primary's other replica still follows it until Sentinel reconfigures that replica, so WAIT 1 can count it for a write the promoted replica never gets",
  gracefulStop:
    "redis.io SHUTDOWN docs (behaviour change in 7.0): a primary with lagging replicas will \"Pause clients attempting to write\" and \"Wait up to the configured shutdown-timeout (default 10 seconds) for replicas to catch up the replication offset\" before it exits; redis.io Sentinel docs: the replica promoted is chosen by priority, then replication offset, so with every replica in sync each holds every write the primary acknowledged",
  coordinatedFailover:
    "redis.io FAILOVER docs: the primary will \"pause incoming writes\", wait \"for a replica to indicate that it has fully consumed the replication stream\", and only then demote itself and hand over; \"It is designed to limit data loss\"; the other replica follows the demoted primary and gets the same stream, so whichever node the Sentinels later promote holds every acknowledged write",
  waitaof:
    "redis.io WAITAOF docs (since 7.2.0): when it returns, \"all the previous write commands sent in the context of the current connection are guaranteed to be fsynced to the AOF of at least the number of masters and replicas returned\"; a write reported fsynced on a replica is on that replica as well, so the failover contracts are WAIT 1's (WAIT docs: the replica having the write is \"more likely (but not guaranteed)\" to be promoted), with the write on that replica's disk besides",
} as const;

/** A fault whose contract depends on the acks alone (the others depend on the persistence mode). */
export type AckBoundFaultName = Exclude<FailoverFaultName, "primary-restart-empty">;

// WAIT 1's contracts; WAITAOF 1 1 shares them (a write fsynced on a replica is on that replica).
const WAIT_1_CONTRACTS: Record<AckBoundFaultName, SourcedContract> = {
  "primary-kill": { contract: { kind: "none-lost" }, source: cite.waitLikely },
  "primary-partition": { contract: { kind: "none-lost" }, source: cite.waitPartition },
  "primary-partition-long": { contract: { kind: "none-lost" }, source: cite.waitPartition },
  "primary-graceful-stop": { contract: { kind: "none-lost" }, source: cite.gracefulStop },
  "primary-graceful-failover": { contract: { kind: "none-lost" }, source: cite.coordinatedFailover },
  "sentinel-failover": { contract: { kind: "may-lose" }, source: cite.manualFailoverWait },
};

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
    "primary-partition-long": { contract: { kind: "some-lost" }, source: cite.partitionLoses },
    "primary-graceful-stop": { contract: { kind: "none-lost" }, source: cite.gracefulStop },
    "primary-graceful-failover": { contract: { kind: "none-lost" }, source: cite.coordinatedFailover },
    "sentinel-failover": { contract: { kind: "may-lose" }, source: cite.manualFailover },
  },
  "wait-1": WAIT_1_CONTRACTS,
  "waitaof-1-1": Object.fromEntries(
    Object.entries(WAIT_1_CONTRACTS).map(([fault, { contract, source }]) => [fault, { contract, source: `${cite.waitaof}; as for WAIT 1: ${source}` }]),
  ) as Record<AckBoundFaultName, SourcedContract>,
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

/**
 * The contract of a failover cell: its fault under its ack policy, or (primary-restart-empty) under
 * its mode. With `min-replicas-to-write 1` (`minReplicasLagS`) a partition under `reply` is held to
 * the knob's window; under WAIT 1 nothing after the cut was acknowledged anyway, and the other
 * faults do not cut the primary off from its replicas, so their contracts stay.
 */
export function failoverContract(mode: Mode, acks: AckPolicy, fault: FailoverFaultName, minReplicasLagS?: MinReplicasLagS): SourcedContract {
  if (minReplicasLagS !== undefined && acks === "reply" && (fault === "primary-partition" || fault === "primary-partition-long")) return minReplicasContract(minReplicasLagS);
  return fault === "primary-restart-empty" ? restartEmptyContract(mode) : FAILOVER_CONTRACTS[acks][fault];
}
