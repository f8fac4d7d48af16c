import type { CellResult } from "../cell/run-cell.js";
import type { LossBound } from "./explain-conf.js";
import type { AdviceContext } from "./gate-advice.js";
import { adviceFor } from "./gate-advice.js";
import type { GateCheck } from "./gate-report.js";
import { judgeCheck } from "./gate-verdict.js";

/** What a check needs besides the run: the fault, its documented bound, and the context for advice. */
export interface CheckInput {
  fault: string;
  description: string;
  documented: LossBound;
  maxLossMs: number;
  advice: Omit<AdviceContext, "fault" | "validity" | "acknowledged" | "maxLossMs">;
}

/** One fault's run held to the bound on both sides, with the advice when it failed. Pure. */
export function gateCheckOf(input: CheckInput, result: CellResult): GateCheck {
  const figures = result.verdict.figures;
  const validity = result.verdict.valid;
  const judgement = judgeCheck(input.documented, validity, input.maxLossMs);
  const window = figures.lossWindowMs;
  const check: GateCheck = {
    fault: input.fault,
    description: input.description,
    outcome: judgement.outcome,
    passed: judgement.outcome === "pass",
    decidedBy: judgement.decidedBy,
    documented: { ...input.documented, withinBound: judgement.documentedWithin },
    validity,
    acknowledged: figures.acknowledged,
    lostAcknowledged: figures.lostAcknowledged,
    lossWindowMs: window,
    allLost: figures.allLost,
    clientsAllLost: figures.clientsAllLost,
    orderViolations: figures.orderViolations,
    refusedRecovered: figures.refusedRecovered,
    overByMs: figures.lostAcknowledged > 0 && window !== null && window > input.maxLossMs ? window - input.maxLossMs : null,
    recoveryMs: result.recoveryMs,
    measurements: result.measurements ?? {},
    reasons: result.verdict.reasons,
    advice: judgement.outcome === "fail" ? adviceOf(input, validity, figures.acknowledged) : [],
  };
  if (result.artifactsDir) check.artifactsDir = result.artifactsDir;
  return check;
}

/** A fault whose run did not finish (Redis did not come back, a Docker error): as far as clients can tell, the data is lost. */
export function unfinishedCheck(input: CheckInput, error: unknown): GateCheck {
  const message = error instanceof Error ? error.message : String(error);
  const judgement = judgeCheck(input.documented, "unknown", input.maxLossMs);
  return {
    fault: input.fault,
    description: input.description,
    outcome: "fail",
    passed: false,
    decidedBy: judgement.decidedBy,
    documented: { ...input.documented, withinBound: judgement.documentedWithin },
    validity: "unknown",
    acknowledged: 0,
    lostAcknowledged: 0,
    lossWindowMs: null,
    allLost: false,
    clientsAllLost: 0,
    orderViolations: 0,
    refusedRecovered: 0,
    overByMs: null,
    recoveryMs: 0,
    measurements: {},
    reasons: [`the run could not finish: ${message}`],
    advice: ["if Redis did not start again, its log above says why (e.g. `aof-load-truncated no` refuses a truncated AOF); fix that setting or the deployment"],
  };
}

function adviceOf(input: CheckInput, validity: GateCheck["validity"], acknowledged: number): string[] {
  return adviceFor({ ...input.advice, fault: input.fault, validity, acknowledged, maxLossMs: input.maxLossMs });
}

/**
 * A fault the gate did not run (dropped where fault-fs cannot run, or left out of --faults), held to
 * the bound on its documented side alone: the promise covers it whether or not it was measured. Fails
 * when the documented worst case exceeds the bound; otherwise not applicable, never a pass. Pure.
 */
export function documentedOnlyCheck(input: Omit<CheckInput, "advice">): GateCheck {
  const judgement = judgeCheck(input.documented, "not-applicable", input.maxLossMs);
  return {
    fault: input.fault,
    description: `${input.description} (not run here: judged by Redis's documented worst case only)`,
    outcome: judgement.outcome,
    passed: false,
    decidedBy: judgement.decidedBy,
    documented: { ...input.documented, withinBound: judgement.documentedWithin },
    validity: "not-applicable",
    acknowledged: 0,
    lostAcknowledged: 0,
    lossWindowMs: null,
    allLost: false,
    clientsAllLost: 0,
    orderViolations: 0,
    refusedRecovered: 0,
    overByMs: null,
    recoveryMs: 0,
    measurements: {},
    reasons: ["not applicable: not run here, judged by Redis's documented worst case alone"],
    advice: judgement.outcome === "fail" ? [`the documented worst case (${input.documented.text}) exceeds the bound whether or not this machine can measure it`] : [],
  };
}

/**
 * A fault not run on this deployment's storage, with the reason: where the storage loses every
 * file to it by construction (RAM under a power cut), held to that "everything", which fails any
 * bound; where the storage cannot be reproduced here, unfinished. Never a pass. Pure.
 */
export function notRunCheck(input: CheckInput, reason: string, lostEverything: boolean): GateCheck {
  if (lostEverything) {
    const check = documentedOnlyCheck({ ...input, documented: { maxMs: null, text: `everything: ${reason}` } });
    return {
      ...check,
      description: `${input.description} (not run: ${reason})`,
      reasons: [`not applicable: not run, ${reason}; judged by what the storage keeps, not by a measurement`],
      advice: ["put the data dir on storage that outlives the machine (a named volume, a PersistentVolumeClaim)"],
    };
  }
  return { ...unfinishedCheck(input, new Error(reason)), description: `${input.description} (not run: ${reason})`, reasons: [`not run here: ${reason}`], advice: [] };
}
