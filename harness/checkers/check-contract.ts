import type { History, Mark } from "../workload/history.js";
import type { Contract } from "./contract.js";
import { FAILOVER_CONTRACT_KINDS } from "./contract.js";
import type { LossAnalysis, WriteOutcome } from "./loss.js";
import { FAULT_MARK, keysBesideRecords } from "./loss.js";
import { realTimeOrderViolations } from "./real-time-order.js";
import type { LossFigures, Validity, Verdict } from "./verdict.js";
import { composeValidity } from "./verdict.js";
import { lostOnlyToEviction } from "./evictions.js";

const EVIDENCE_LIMIT = 10;

/**
 * A window contract can only be judged against a total loss when the run wrote for longer than
 * the bound plus this margin; shorter, a client that lost everything may or may not be within it.
 */
export const TOTAL_LOSS_MARGIN_MS = 500;

/**
 * Writers silent for longer than this before the fault (a stalled harness, a paused client) had
 * nothing at risk when it struck: the run cannot show what the fault loses, so it is unknown.
 */
export const QUIET_BEFORE_FAULT_LIMIT_MS = 1_000;

/** The history mark spanning the preload of the dataset, when there was one. */
export const PRELOAD_MARK = "preload";

const PRELOAD_BATCH_PREFIX = "preload-batch:";

/** The mark of one acknowledged round trip of the preload, named by the keys loaded so far. */
export function preloadBatchMark(keysSoFar: number): string {
  return `${PRELOAD_BATCH_PREFIX}${keysSoFar}`;
}

interface Finding {
  valid: Validity;
  reason?: string;
  evidence?: string[];
}

/**
 * Judges a loss analysis against a contract; `preloadedKeys` counts keys loaded before the writes,
 * `measured` is what the fault measured itself (an evicted-only contract reads Redis's count there). Pure.
 */
export function checkContract(contract: Contract, analysis: LossAnalysis, history: History, preloadedKeys = 0, measured: Readonly<Record<string, number | string>> = {}): Verdict {
  const findings = [nothingAcknowledged(analysis), ...contractFindings(contract, analysis, history)];
  if (contract.kind === "evicted-only") {
    // Eviction deletes keys in any order (sampled LRU/LFU, random), preloaded ones too: no prefix, no intact dataset to ask for.
    findings.push(lostOnlyToEviction(analysis, preloadedKeys, measured[contract.measurement]), noRefusedRecovered(analysis), writesAtTheFault(analysis));
  } else if (contract.kind !== "all-lost") {
    const dataset = contract.kind === "since-last-fsync" ? preloadSinceLastFsync(analysis, preloadedKeys, history, contract.mark) : datasetIntact(analysis, preloadedKeys);
    const order = FAILOVER_CONTRACT_KINDS.includes(contract.kind) ? realTimeOrderBeforeFault(analysis, history) : realTimeOrder(analysis);
    findings.push(dataset, order, noRefusedRecovered(analysis), writesAtTheFault(analysis));
  }
  return {
    valid: composeValidity(...findings.map((f) => f.valid)),
    contract,
    reasons: findings.flatMap((f) => (f.reason ? [f.reason] : [])),
    figures: figuresOf(analysis),
    evidence: findings.flatMap((f) => f.evidence ?? []).slice(0, EVIDENCE_LIMIT),
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
      return [...afterMark(analysis, history.marks.find((m) => m.name === contract.mark), contract.mark, SNAPSHOT_WORDS), noCorruption(analysis), noGaps(analysis)];
    case "since-last-fsync":
      return [...afterMark(analysis, history.marks.find((m) => m.name === contract.mark), contract.mark, FSYNC_WORDS), noCorruption(analysis), noGaps(analysis)];
    case "evicted-only":
      return [noCorruption(analysis)];
    // No gap check: after a failover a client's writes to the new primary survive its lost writes to the old one.
    case "some-lost":
      return [someLost(analysis), noCorruption(analysis), replicatedBeforeFault(analysis, history)];
    case "may-lose":
      return [noCorruption(analysis), replicatedBeforeFault(analysis, history)];
    // The analysis of a failover cell carries the failover window (failoverLossWindowMs), not the single server's.
    case "failover-window":
      return [withinWindow(analysis, contract.maxMs), noCorruption(analysis), replicatedBeforeFault(analysis, history)];
  }
}

/**
 * A failover may lose what the old primary acknowledged but had not yet replicated: writes
 * acknowledged this long before the fault had reached the replicas on any working group (replication
 * lag is milliseconds), so losing one is not the failover's documented loss.
 */
export const REPLICATION_ALLOWANCE_MS = 1_000;

function replicatedBeforeFault(analysis: LossAnalysis, history: History): Finding {
  const fault = history.marks.find((m) => m.name === FAULT_MARK);
  if (!fault) return { valid: "unknown", reason: "the run marked no fault, so it cannot tell a failover's loss from the loss of writes the replicas already had" };
  const early = analysis.lostAcknowledged.filter((w) => w.completedAtMs !== undefined && w.completedAtMs < fault.invokeAtMs - REPLICATION_ALLOWANCE_MS);
  if (early.length === 0) return { valid: true };
  return {
    valid: false,
    reason: `${early.length} writes acknowledged more than ${REPLICATION_ALLOWANCE_MS} ms before the fault were lost${analysis.lossWindowMs === null ? ` (${totalLoss(analysis)})` : ""}: the replicas had them, so a failover alone does not lose them`,
    evidence: early.map(describeWrite),
  };
}

/** How a total loss reads: every acknowledged write, or every write of some clients. */
function totalLoss(analysis: LossAnalysis): string {
  if (analysis.lostAcknowledged.length === analysis.acknowledged) return `all ${analysis.acknowledged} acknowledged writes lost`;
  const clients = analysis.clientsAllLost;
  if (clients.length === 0) return `${analysis.lostAcknowledged.length} of ${analysis.acknowledged} acknowledged writes lost, back to a client's first acknowledged write (window unbounded)`;
  return `${analysis.lostAcknowledged.length} of ${analysis.acknowledged} acknowledged writes lost; client${clients.length === 1 ? "" : "s"} ${clients.join(", ")} lost every acknowledged write, back to the start of the run (window unbounded)`;
}

function nothingAcknowledged(analysis: LossAnalysis): Finding {
  return analysis.acknowledged > 0
    ? { valid: true }
    : { valid: "unknown", reason: "no write was acknowledged, so the run cannot tell what was lost" };
}

function writesAtTheFault(analysis: LossAnalysis): Finding {
  // Acknowledgements after the fault (a new primary, the wait for an unsynced moment) must not stand
  // in for writes that were at risk when it struck.
  if (analysis.acknowledgedBeforeFault === 0 && analysis.acknowledged > 0) {
    return {
      valid: "unknown",
      reason: `no write invoked before the fault was acknowledged (all ${analysis.acknowledged} acknowledgements came after it): nothing acknowledged was at risk when it struck, so the run cannot show what it loses`,
    };
  }
  const quiet = analysis.quietBeforeFaultMs;
  if (quiet === null || quiet <= QUIET_BEFORE_FAULT_LIMIT_MS) return { valid: true };
  return {
    valid: "unknown",
    reason: `the writers' last acknowledgement came ${quiet.toFixed(0)} ms before the fault (more than ${QUIET_BEFORE_FAULT_LIMIT_MS} ms): nothing was being written when it struck, so the run cannot show what it loses (a stalled writer or a loaded machine: run it again)`,
  };
}

function noneLost(analysis: LossAnalysis): Finding {
  const lost = analysis.lostAcknowledged;
  if (lost.length === 0) return { valid: true };
  const reason = analysis.lossWindowMs === null ? totalLoss(analysis) : `${lost.length} of ${analysis.acknowledged} acknowledged writes lost (loss window ${analysis.lossWindowMs.toFixed(0)} ms)`;
  return { valid: false, reason, evidence: lost.map(describeWrite) };
}

function someLost(analysis: LossAnalysis): Finding {
  return analysis.lostAcknowledged.length > 0
    ? { valid: true }
    : { valid: false, reason: `no acknowledged write lost (of ${analysis.acknowledged}): the fault did not lose what the documentation says it loses` };
}

function allLost(analysis: LossAnalysis): Finding {
  if (analysis.survived === 0 && analysis.keysInDatabase === 0) return { valid: true };
  const survivors = analysis.writes.filter((w) => w.found === "intact");
  return {
    valid: false,
    reason: `expected an empty database, found ${analysis.keysInDatabase} keys (${survivors.length} of ${analysis.attempted} written records survived): the fault did not lose what it should`,
    evidence: survivors.map(describeWrite),
  };
}

function withinWindow(analysis: LossAnalysis, maxMs: number): Finding {
  const window = analysis.lossWindowMs;
  if (window === null) {
    const evidence = analysis.lostAcknowledged.map(describeWrite);
    if (analysis.writingSpanMs > maxMs + TOTAL_LOSS_MARGIN_MS) {
      return { valid: false, reason: `${totalLoss(analysis)}: more than the ${maxMs} ms window (the run wrote for ${analysis.writingSpanMs.toFixed(0)} ms)`, evidence };
    }
    return {
      valid: "unknown",
      reason:
        `${totalLoss(analysis)}, but the run wrote for only ${analysis.writingSpanMs.toFixed(0)} ms, not more than the ${maxMs} ms window plus ${TOTAL_LOSS_MARGIN_MS} ms: ` +
        "it cannot tell whether the loss stays within the window (write for longer)",
      evidence,
    };
  }
  return window <= maxMs
    ? { valid: true }
    : {
        valid: false,
        reason: `loss window ${window.toFixed(0)} ms exceeds ${maxMs} ms (${analysis.lostAcknowledged.length} acknowledged writes lost)`,
        evidence: analysis.lostAcknowledged.map(describeWrite),
      };
}

interface MarkWords {
  /** "the snapshot", "the last fsync" */
  point: string;
  /** What surviving writes after the point mean. */
  survivedAfter: string;
}

const SNAPSHOT_WORDS: MarkWords = { point: "the snapshot", survivedAfter: "something saved after it (the fault did not lose what a crash loses)" };
const FSYNC_WORDS: MarkWords = { point: "the last fsync", survivedAfter: "something made them durable after it (the power cut did not drop unsynced data)" };

function afterMark(analysis: LossAnalysis, mark: Mark | undefined, markName: string, words: MarkWords): Finding[] {
  if (!mark) return [{ valid: "unknown", reason: `the run recorded no "${markName}" mark, so there is no point (${words.point}) to compare with` }];
  const lostBefore = analysis.lostAcknowledged.filter((w) => (w.completedAtMs ?? Infinity) < mark.invokeAtMs);
  const writtenAfter = analysis.writes.filter((w) => w.invokeAtMs > mark.okAtMs && w.result === "ok");
  const survivedAfter = writtenAfter.filter((w) => w.found === "intact");
  const findings: Finding[] = [];
  findings.push(
    lostBefore.length === 0
      ? { valid: true }
      : { valid: false, reason: `${lostBefore.length} writes acknowledged before ${words.point} were lost`, evidence: lostBefore.map(describeWrite) },
  );
  if (writtenAfter.length === 0) {
    findings.push({ valid: "unknown", reason: `no write was acknowledged after ${words.point}, so the fault's loss cannot be seen` });
  } else if (survivedAfter.length > 0) {
    findings.push({
      valid: false,
      reason: `${survivedAfter.length} of ${writtenAfter.length} writes made after ${words.point} survived: ${words.survivedAfter}`,
      evidence: survivedAfter.map(describeWrite),
    });
  }
  return findings;
}

function realTimeOrder(analysis: LossAnalysis): Finding {
  const violations = analysis.orderViolations;
  if (violations.length === 0) return { valid: true };
  const at = (ms: number | undefined): string => `${(ms ?? NaN).toFixed(1)} ms`;
  return {
    valid: false,
    reason:
      `${violations.length} acknowledged writes lost although a write invoked after their acknowledgement survived (real-time order across clients; ` +
      "one AOF or one snapshot keeps a prefix of the order Redis applied the writes in)",
    evidence: violations.map(
      (v) =>
        `client ${v.lost.client} seq ${v.lost.seq} acknowledged at ${at(v.lost.completedAtMs)}: lost; client ${v.survivor.client} seq ${v.survivor.seq} invoked at ${at(v.survivor.invokeAtMs)}: survived`,
    ),
  };
}

/**
 * Real-time order among the writes invoked before the fault: they all went to the old primary, and a
 * promoted replica holds a prefix of its replication stream, so a survivor among them implies every
 * write acknowledged before it was invoked. Writes after the fault may reach a new primary and
 * survive lost earlier ones by design: replication reorders across a failover.
 */
function realTimeOrderBeforeFault(analysis: LossAnalysis, history: History): Finding {
  const faultAtMs = history.marks.find((m) => m.name === FAULT_MARK)?.invokeAtMs;
  if (faultAtMs === undefined) return { valid: "unknown", reason: `the run recorded no "${FAULT_MARK}" mark, so the writes that went to the old primary cannot be told apart` };
  const violations = realTimeOrderViolations(analysis.writes.filter((w) => w.invokeAtMs < faultAtMs));
  if (violations.length === 0) return { valid: true };
  return {
    valid: false,
    reason: `${violations.length} acknowledged writes to the old primary lost although a write invoked after their acknowledgement, before the fault, survived (a promoted replica holds a prefix of the primary's replication stream)`,
    evidence: violations.map((v) => `client ${v.lost.client} seq ${v.lost.seq}: lost; client ${v.survivor.client} seq ${v.survivor.seq}: survived`),
  };
}

function noRefusedRecovered(analysis: LossAnalysis): Finding {
  const refused = analysis.refusedRecovered;
  return refused.length === 0
    ? { valid: true }
    : {
        valid: false,
        reason: `${refused.length} writes answered with an error (e.g. MISCONF, OOM: "not applied") were found after recovery`,
        evidence: refused.map(describeWrite),
      };
}

function datasetIntact(analysis: LossAnalysis, preloadedKeys: number): Finding {
  const { preloaded, stray } = keysBesideRecords(analysis);
  if (stray !== 0) return strayKeys(stray);
  return preloaded === preloadedKeys
    ? { valid: true }
    : { valid: false, reason: `${preloadedKeys} keys were preloaded before the writes, ${preloaded} came back` };
}

function strayKeys(stray: number): Finding {
  return { valid: false, reason: `${stray} keys came back that neither the preload nor the writers wrote` };
}

// The preload is durable as far as an fsync covered it: its round trips acknowledged before the mark
// must come back, those sent after it must not; one in flight at the mark may go either way.
function preloadSinceLastFsync(analysis: LossAnalysis, preloadedKeys: number, history: History, markName: string): Finding {
  const mark = history.marks.find((m) => m.name === markName);
  const preload = history.marks.find((m) => m.name === PRELOAD_MARK);
  if (!mark || !preload || preload.okAtMs < mark.invokeAtMs) return datasetIntact(analysis, preloadedKeys);
  const { preloaded: otherKeys, stray } = keysBesideRecords(analysis);
  if (stray !== 0) return strayKeys(stray);
  if (preload.invokeAtMs > mark.okAtMs) {
    return otherKeys === 0 ? { valid: true } : { valid: false, reason: `${otherKeys} of the ${preloadedKeys} preloaded keys came back, though no fsync covered them` };
  }
  const batches = history.marks.filter((m) => m.name.startsWith(PRELOAD_BATCH_PREFIX)).map((m) => ({ ...m, keysSoFar: Number(m.name.slice(PRELOAD_BATCH_PREFIX.length)) }));
  if (batches.length === 0) {
    return { valid: "unknown", reason: "the last fsync fell inside the preload, and the run did not record the preload's round trips: how much of it was covered cannot be told" };
  }
  const atLeast = Math.max(0, ...batches.filter((b) => b.okAtMs < mark.invokeAtMs).map((b) => b.keysSoFar));
  const atMost = Math.max(0, ...batches.filter((b) => b.invokeAtMs <= mark.okAtMs).map((b) => b.keysSoFar));
  if (otherKeys < atLeast) return { valid: false, reason: `${atLeast} preloaded keys were acknowledged before the last fsync, only ${otherKeys} came back` };
  if (otherKeys > atMost) return { valid: false, reason: `${otherKeys} preloaded keys came back, though only ${atMost} were sent before the last fsync` };
  return { valid: true };
}

function noCorruption(analysis: LossAnalysis): Finding {
  return analysis.corrupted.length === 0
    ? { valid: true }
    : { valid: false, reason: `${analysis.corrupted.length} records read back corrupted`, evidence: analysis.corrupted.map(describeWrite) };
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
    refusedRecovered: analysis.refusedRecovered.length,
    gaps: analysis.gaps.length,
    orderViolations: analysis.orderViolations.length,
    corrupted: analysis.corrupted.length,
    lossWindowMs: analysis.lossWindowMs === null ? null : Math.round(analysis.lossWindowMs),
    ...(analysis.quietBeforeFaultMs === null ? {} : { quietBeforeFaultMs: Math.round(analysis.quietBeforeFaultMs) }),
    allLost: analysis.acknowledged > 0 && analysis.lostAcknowledged.length === analysis.acknowledged,
    clientsAllLost: analysis.clientsAllLost.length,
    keysInDatabase: analysis.keysInDatabase,
  };
}

function describeWrite(write: WriteOutcome): string {
  const detail = write.found === "corrupted" ? `corrupted (${write.corruption})` : write.found;
  return `client ${write.client} seq ${write.seq} (${write.result}): ${detail}`;
}
