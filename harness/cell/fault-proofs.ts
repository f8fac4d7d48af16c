import type { Verdict } from "../checkers/verdict.js";
import { composeValidity } from "../checkers/verdict.js";
import type { FaultProof } from "../faults/fault.js";

/**
 * Folds what the fault proved of itself into the verdict: a claim that did not hold makes the run
 * unable to speak for the contract (unknown); a fault with nothing to do here makes it
 * not-applicable. A broken contract stays broken either way. Pure.
 */
export function withFaultProofs(verdict: Verdict, proofs: readonly FaultProof[], notApplicable: readonly string[]): Verdict {
  const failed = proofs.filter((p) => !p.held);
  const reasons = [
    ...verdict.reasons,
    ...failed.map((p) => `the fault did not prove it bit: ${p.claim}; seen: ${p.seen}`),
    ...notApplicable.map((reason) => `not applicable: ${reason}`),
  ];
  const valid = composeValidity(verdict.valid, ...failed.map(() => "unknown" as const), ...notApplicable.map(() => "not-applicable" as const));
  return { ...verdict, valid, reasons };
}
