import type { Contract } from "./contract.js";

/** Jepsen-style validity: unknown means the run cannot tell (e.g. nothing was acknowledged). */
export type Validity = true | false | "unknown";

/** The figures a verdict rests on. Times in ms. */
export interface LossFigures {
  attempted: number;
  acknowledged: number;
  lostAcknowledged: number;
  recoveredUnacknowledged: number;
  gaps: number;
  corrupted: number;
  lossWindowMs: number;
  keysInDatabase: number;
}

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

/** Combines validities: false beats unknown beats true. */
export function composeValidity(...validities: Validity[]): Validity {
  if (validities.includes(false)) return false;
  if (validities.includes("unknown")) return "unknown";
  return true;
}
