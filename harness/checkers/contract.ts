/** The expected outcome of one persistence mode under one fault. Times in ms. */
export type Contract =
  | { kind: "none-lost" }
  | { kind: "all-lost" }
  /** Writes acknowledged before the named mark's snapshot survive; writes invoked after it are lost. */
  | { kind: "after-snapshot-only"; mark: string }
  | { kind: "window"; maxMs: number }
  /** Power loss without fsync on every write: writes acknowledged before the named mark (the last point an fsync made durable, measured) survive; writes invoked after it are lost. */
  | { kind: "since-last-fsync"; mark: string }
  /** Memory full under an evicting policy: writes may be deleted, but no more than the keys Redis says it evicted (the fault's named measurement of INFO evicted_keys); none corrupted. */
  | { kind: "evicted-only"; measurement: string }
  /** A failover that must lose acknowledged writes (asynchronous replication under a partition): a loss of 0 means the fault did not bite as documented. */
  | { kind: "some-lost" }
  /** A failover whose loss the documentation leaves unbounded: measured and reported, judged only for corruption and order. */
  | { kind: "may-lose" }
  /** A failover whose loss a knob bounds (min-replicas-max-lag): each client's lost acknowledged writes span at most maxMs after its last surviving one (failoverLossWindowMs). */
  | { kind: "failover-window"; maxMs: number };

/** A human sentence for a contract, as shown in test names and reports. */
export function describeContract(contract: Contract): string {
  switch (contract.kind) {
    case "none-lost":
      return "no acknowledged write lost";
    case "all-lost":
      return "everything lost";
    case "after-snapshot-only":
      return "only writes after the last completed snapshot lost";
    case "window":
      return `loss window <= ${contract.maxMs} ms`;
    case "since-last-fsync":
      return "only writes since the last fsync lost";
    case "some-lost":
      return "some acknowledged writes lost";
    case "may-lose":
      return "may lose acknowledged writes (measured)";
    case "failover-window":
      return `failover loss window <= ${contract.maxMs} ms`;
    case "evicted-only":
      return "writes lost only to eviction (no more than the keys Redis evicted)";
  }
}

/** Every contract kind, so that a registry (e.g. of weakenings) can be checked for one of each. */
export const CONTRACT_KINDS = ["none-lost", "all-lost", "after-snapshot-only", "window", "since-last-fsync", "evicted-only", "some-lost", "may-lose", "failover-window"] as const;

/** The contract kinds of a failover, where a client's later writes may survive its lost earlier ones by design. */
export const FAILOVER_CONTRACT_KINDS: readonly Contract["kind"][] = ["some-lost", "may-lose", "failover-window"];

// Fails to compile when a contract kind is added to Contract but not to CONTRACT_KINDS.
const everyKindListed: Record<Exclude<Contract["kind"], (typeof CONTRACT_KINDS)[number]>, never> = {};
void everyKindListed;
