/** The expected outcome of one persistence mode under one fault. Times in ms. */
export type Contract =
  | { kind: "none-lost" }
  | { kind: "all-lost" }
  /** Writes acknowledged before the named mark's snapshot survive; writes invoked after it are lost. */
  | { kind: "after-snapshot-only"; mark: string }
  | { kind: "window"; maxMs: number }
  /** Power loss without fsync on every write: writes acknowledged before the named mark (the last point an fsync made durable, measured) survive; writes invoked after it are lost. */
  | { kind: "since-last-fsync"; mark: string };

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
  }
}

/** Every contract kind, so that a registry (e.g. of weakenings) can be checked for one of each. */
export const CONTRACT_KINDS = ["none-lost", "all-lost", "after-snapshot-only", "window", "since-last-fsync"] as const;

// Fails to compile when a contract kind is added to Contract but not to CONTRACT_KINDS.
const everyKindListed: Record<Exclude<Contract["kind"], (typeof CONTRACT_KINDS)[number]>, never> = {};
void everyKindListed;
