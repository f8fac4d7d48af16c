import type { Validity } from "../checkers/verdict.js";
import type { LossBound } from "./explain-conf.js";
import type { Hazard } from "./hazards.js";

/** Which of the two sides a check holds to the bound: Redis's documented worst case, or the run. */
export type Decider = "documented" | "measured";

/** One fault held to the bound: pass needs both sides within; not-applicable counts neither way. */
export interface CheckJudgement {
  outcome: "pass" | "fail" | "not-applicable";
  /** For a failure, the side(s) that broke the bound; for a pass, both (both had to hold); for not-applicable, none. */
  decidedBy: Decider[];
  documentedWithin: boolean;
  /** "not-applicable" when the fault had nothing to do here; false when it broke the bound or could not tell. */
  measuredWithin: boolean | "not-applicable";
}

/**
 * Holds one fault's documented bound and measured verdict to the declared bound. An unbounded
 * documented case never fits; a measurement that could not tell ("unknown") is no pass. Pure.
 */
export function judgeCheck(documented: LossBound, validity: Validity, maxLossMs: number): CheckJudgement {
  const documentedWithin = documented.maxMs !== null && documented.maxMs <= maxLossMs;
  const measuredWithin = validity === "not-applicable" ? "not-applicable" : validity === true;
  const broken: Decider[] = [...(documentedWithin ? [] : ["documented" as const]), ...(measuredWithin === false ? ["measured" as const] : [])];
  if (broken.length > 0) return { outcome: "fail", decidedBy: broken, documentedWithin, measuredWithin };
  if (measuredWithin === "not-applicable") return { outcome: "not-applicable", decidedBy: [], documentedWithin, measuredWithin };
  return { outcome: "pass", decidedBy: ["documented", "measured"], documentedWithin, measuredWithin };
}

/** The gate's answer: passed only when no check failed, no hazard defeats the bound, and some check passed. */
export interface GateVerdict {
  passed: boolean;
  /** Why it did not pass, one line per failing check or hazard; empty when it passed. */
  reasons: string[];
}

/** Folds the checks and the hazards into the gate's answer. Pure. */
export function gateVerdict(checks: readonly { fault: string; outcome: CheckJudgement["outcome"]; decidedBy: Decider[] }[], hazards: readonly Hazard[]): GateVerdict {
  const reasons = [
    ...checks.filter((c) => c.outcome === "fail").map((c) => `${c.fault} broke the bound (${c.decidedBy.join(" and ")})`),
    ...hazards.filter((h) => h.failsGate).map((h) => `${h.at !== undefined ? `${h.at}: ` : h.line !== undefined ? `line ${h.line}: ` : ""}${h.message}`),
  ];
  if (checks.every((c) => c.outcome === "not-applicable")) {
    reasons.push(checks.length === 0 ? "no fault was run" : "every fault was not applicable here: nothing held the config to the bound");
  }
  return { passed: reasons.length === 0, reasons };
}
