import type { Contract } from "./contract.js";

/**
 * Jepsen-style validity: unknown means the run cannot tell (nothing acknowledged, a fault that
 * cannot prove it bit); not-applicable means the fault has nothing to do here (never a pass).
 */
export type Validity = true | false | "unknown" | "not-applicable";

/** The figures a verdict rests on. Times in ms. */
export interface LossFigures {
  attempted: number;
  acknowledged: number;
  lostAcknowledged: number;
  /** Writes of unknown outcome found after recovery. */
  recoveredUnacknowledged: number;
  /** Writes answered with an error found after recovery. */
  refusedRecovered: number;
  gaps: number;
  /** Lost acknowledged writes contradicted by a later-invoked survivor of any client. */
  orderViolations: number;
  corrupted: number;
  /** null: unbounded, some client lost every acknowledged write (see allLost, clientsAllLost). */
  lossWindowMs: number | null;
  /** From the last acknowledgement to the fault's start, in ms; absent when the run marked no fault. */
  quietBeforeFaultMs?: number;
  /** Every acknowledged write was lost (and at least one was acknowledged). */
  allLost: boolean;
  /** How many clients lost every acknowledged write. */
  clientsAllLost: number;
  keysInDatabase: number;
}

/** The figures of a case that could not run: nothing written, nothing measured. */
export const NOTHING_MEASURED: LossFigures = {
  attempted: 0,
  acknowledged: 0,
  lostAcknowledged: 0,
  recoveredUnacknowledged: 0,
  refusedRecovered: 0,
  gaps: 0,
  orderViolations: 0,
  corrupted: 0,
  lossWindowMs: 0,
  allLost: false,
  clientsAllLost: 0,
  keysInDatabase: 0,
};

/** A checker's judgement of one run against its contract, with the evidence. */
export interface Verdict {
  valid: Validity;
  contract: Contract;
  /** Why the verdict is what it is; empty when valid. */
  reasons: string[];
  figures: LossFigures;
  /** A bounded sample of the offending records, e.g. `client 2 seq 1041: missing`. */
  evidence: string[];
}

/** Combines validities: false beats unknown beats not-applicable beats true. */
export function composeValidity(...validities: Validity[]): Validity {
  if (validities.includes(false)) return false;
  if (validities.includes("unknown")) return "unknown";
  if (validities.includes("not-applicable")) return "not-applicable";
  return true;
}
