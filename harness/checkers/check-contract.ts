import type { History, Mark } from "../workload/history.js";
import type { Contract } from "./contract.js";
import type { LossAnalysis, WriteOutcome } from "./loss.js";
import type { LossFigures, Validity, Verdict } from "./verdict.js";
import { composeValidity } from "./verdict.js";

const EVIDENCE_LIMIT = 10;

interface Finding {
  valid: Validity;
  reason?: string;
  evidence?: WriteOutcome[];
}

/** Judges a loss analysis against a contract; `preloadedKeys` counts keys loaded before the writes. Pure. */
export function checkContract(contract: Contract, analysis: LossAnalysis, history: History, preloadedKeys = 0): Verdict {
  const findings = [nothingAcknowledged(analysis), ...contractFindings(contract, analysis, history)];
  if (contract.kind !== "all-lost") findings.push(datasetIntact(analysis, preloadedKeys));
  return {
    valid: composeValidity(...findings.map((f) => f.valid)),
    contract,
    reasons: findings.flatMap((f) => (f.reason ? [f.reason] : [])),
    figures: figuresOf(analysis),
    evidence: findings.flatMap((f) => f.evidence ?? []).slice(0, EVIDENCE_LIMIT).map(describeWrite),
  };
}

function contractFindings(contract: Contract, analysis: LossAnalysis, history: History): Finding[] {
  switch (contract.kind) {
    case "none-lost":
      return [noneLost(analysis), noCorruption(analysis), noGaps(analysis)];
    case "all-lost":
      return [allLost(analysis)];
    case "window":
      return [withinWindow(analysis, contract.maxMs), noCorruption(analysis), noGaps(analysis)];
    case "after-snapshot-only":
      return [...afterSnapshotOnly(analysis, history.marks.find((m) => m.name === contract.mark), contract.mark), noCorruption(analysis)];
  }
}

function nothingAcknowledged(analysis: LossAnalysis): Finding {
  return analysis.acknowledged > 0
    ? { valid: true }
    : { valid: "unknown", reason: "no write was acknowledged, so the run cannot tell what was lost" };
}

function noneLost(analysis: LossAnalysis): Finding {
  const lost = analysis.lostAcknowledged;
  return lost.length === 0
    ? { valid: true }
    : { valid: false, reason: `${lost.length} of ${analysis.acknowledged} acknowledged writes lost (loss window ${analysis.lossWindowMs.toFixed(0)} ms)`, evidence: lost };
}

function allLost(analysis: LossAnalysis): Finding {
  if (analysis.survived === 0 && analysis.keysInDatabase === 0) return { valid: true };
  const survivors = analysis.writes.filter((w) => w.found === "intact");
  return {
    valid: false,
    reason: `expected an empty database, found ${analysis.keysInDatabase} keys (${survivors.length} of ${analysis.attempted} written records survived): the fault did not lose what it should`,
    evidence: survivors,
  };
}

function withinWindow(analysis: LossAnalysis, maxMs: number): Finding {
  return analysis.lossWindowMs <= maxMs
    ? { valid: true }
    : {
        valid: false,
        reason: `loss window ${analysis.lossWindowMs.toFixed(0)} ms exceeds ${maxMs} ms (${analysis.lostAcknowledged.length} acknowledged writes lost)`,
        evidence: analysis.lostAcknowledged,
      };
}

function afterSnapshotOnly(analysis: LossAnalysis, mark: Mark | undefined, markName: string): Finding[] {
  if (!mark) return [{ valid: "unknown", reason: `the run recorded no "${markName}" mark, so there is no snapshot to compare with` }];
  const lostBefore = analysis.lostAcknowledged.filter((w) => (w.completedAtMs ?? Infinity) < mark.invokeAtMs);
  const writtenAfter = analysis.writes.filter((w) => w.invokeAtMs > mark.okAtMs && w.result === "ok");
  const survivedAfter = writtenAfter.filter((w) => w.found === "intact");
  const findings: Finding[] = [];
  findings.push(
    lostBefore.length === 0
      ? { valid: true }
      : { valid: false, reason: `${lostBefore.length} writes acknowledged before the snapshot were lost`, evidence: lostBefore },
  );
  if (writtenAfter.length === 0) {
    findings.push({ valid: "unknown", reason: "no write was acknowledged after the snapshot, so the fault's loss cannot be seen" });
  } else if (survivedAfter.length > 0) {
    findings.push({
      valid: false,
      reason: `${survivedAfter.length} of ${writtenAfter.length} writes made after the snapshot survived: something saved after it (the fault did not lose what a crash loses)`,
      evidence: survivedAfter,
    });
  }
  return findings;
}

function datasetIntact(analysis: LossAnalysis, preloadedKeys: number): Finding {
  const otherKeys = analysis.keysInDatabase - analysis.survived - analysis.corrupted.length;
  return otherKeys === preloadedKeys
    ? { valid: true }
    : { valid: false, reason: `${preloadedKeys} keys were preloaded before the writes, ${otherKeys} came back` };
}

function noCorruption(analysis: LossAnalysis): Finding {
  return analysis.corrupted.length === 0
    ? { valid: true }
    : { valid: false, reason: `${analysis.corrupted.length} records read back corrupted`, evidence: analysis.corrupted };
}

function noGaps(analysis: LossAnalysis): Finding {
  if (analysis.gaps.length === 0) return { valid: true };
  const [first] = analysis.gaps;
  return {
    valid: false,
    reason: `${analysis.gaps.length} writes survived after a lost acknowledged write of the same client (first: client ${first?.client} lost ${first?.lostSeq}, kept ${first?.survivingSeq})`,
  };
}

function figuresOf(analysis: LossAnalysis): LossFigures {
  return {
    attempted: analysis.attempted,
    acknowledged: analysis.acknowledged,
    lostAcknowledged: analysis.lostAcknowledged.length,
    recoveredUnacknowledged: analysis.recoveredUnacknowledged.length,
    gaps: analysis.gaps.length,
    corrupted: analysis.corrupted.length,
    lossWindowMs: Math.round(analysis.lossWindowMs),
    keysInDatabase: analysis.keysInDatabase,
  };
}

function describeWrite(write: WriteOutcome): string {
  const detail = write.found === "corrupted" ? `corrupted (${write.corruption})` : write.found;
  return `client ${write.client} seq ${write.seq} (${write.result}): ${detail}`;
}
