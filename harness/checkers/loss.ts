import type { History, Op } from "../workload/history.js";
import type { ReadBack } from "../workload/readback.js";
import { readBackKey } from "../workload/readback.js";
import { decodeRecord } from "../workload/record.js";
import type { OrderViolation } from "./real-time-order.js";
import { realTimeOrderViolations } from "./real-time-order.js";

/** The history mark spanning a fault's injection: a loss window is measured back from its start. */
export const FAULT_MARK = "fault";

/** One write as the history and the read-back saw it. Times in ms. */
export interface WriteOutcome {
  client: number;
  seq: number;
  invokeAtMs: number;
  /** When the write completed (ok, fail or info); undefined if it never did. */
  completedAtMs?: number;
  result: "ok" | "fail" | "info" | "pending";
  found: "intact" | "missing" | "corrupted";
  corruption?: string;
}

/** A surviving write that comes after a lost acknowledged write of the same client. */
export interface Gap {
  client: number;
  lostSeq: number;
  survivingSeq: number;
}

/** What a run lost, measured: the raw material of every verdict. */
export interface LossAnalysis {
  attempted: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  survived: number;
  lostAcknowledged: WriteOutcome[];
  /** Writes of unknown outcome (a broken connection, never answered) that were found after recovery. */
  recoveredUnacknowledged: WriteOutcome[];
  /** Writes answered with an error (MISCONF, OOM) that were found after recovery: the error said they were not applied. */
  refusedRecovered: WriteOutcome[];
  corrupted: WriteOutcome[];
  gaps: Gap[];
  /** Lost acknowledged writes contradicted by a survivor invoked after their acknowledgement, across clients. */
  orderViolations: OrderViolation[];
  /**
   * Max over the clients that lost an acknowledged write of (the later of the fault's start and the
   * client's last acknowledgement - its last surviving acknowledged write), in ms: how far back from
   * the fault the loss reaches, so that writers that stalled before the fault cannot shorten it.
   * Without a fault mark, measured from the last acknowledgement. null when some client lost every
   * acknowledged write: its loss reaches back to the start of the run, unbounded.
   */
  lossWindowMs: number | null;
  /** From the last acknowledgement to the fault's start, in ms (0 when writes were acknowledged during it); null without a fault mark. */
  quietBeforeFaultMs: number | null;
  /** Acknowledged writes invoked before the fault's start (0: nothing acknowledged was at risk when it struck); null without a fault mark. */
  acknowledgedBeforeFault: number | null;
  /** Clients that wrote and had acknowledged writes, none of which survived. */
  clientsAllLost: number[];
  /** From the first invocation to the last acknowledgement, in ms: how far back a loss can be seen. */
  writingSpanMs: number;
  keysInDatabase: number;
  /** Keys named like the preload, counted by name; undefined where the read-back did not count them. */
  datasetKeys: number | undefined;
  writes: WriteOutcome[];
}

/**
 * The keys after recovery that are not the workload's records: the preload's (by name where the
 * read-back counted them) and strays nobody wrote. Without a count by name every other key is taken
 * for the preload's, so a lost preloaded key and a stray one would cancel out.
 */
export function keysBesideRecords(analysis: LossAnalysis): { preloaded: number; stray: number } {
  const other = analysis.keysInDatabase - analysis.survived - analysis.corrupted.length;
  if (analysis.datasetKeys === undefined) return { preloaded: other, stray: 0 };
  return { preloaded: analysis.datasetKeys, stray: other - analysis.datasetKeys };
}

/** Joins a history with what was read back after recovery; pure. */
export function analyzeLoss(history: History, readBack: ReadBack): LossAnalysis {
  const writes = joinOutcomes(history.ops, readBack);
  const byClient = groupByClient(writes);
  const faultAtMs = history.marks.find((m) => m.name === FAULT_MARK)?.invokeAtMs;
  const gaps: Gap[] = [];
  let lossWindowMs: number | null = 0;
  const clientsAllLost: number[] = [];
  for (const [client, clientWrites] of byClient) {
    gaps.push(...findGaps(clientWrites));
    const window = clientLossWindowMs(clientWrites, faultAtMs);
    if (window === null) clientsAllLost.push(client);
    lossWindowMs = window === null || lossWindowMs === null ? null : Math.max(lossWindowMs, window);
  }
  return {
    attempted: writes.length,
    acknowledged: writes.filter((w) => w.result === "ok").length,
    failed: writes.filter((w) => w.result === "fail").length,
    unknown: writes.filter((w) => w.result === "info" || w.result === "pending").length,
    survived: writes.filter((w) => w.found === "intact").length,
    lostAcknowledged: writes.filter((w) => w.result === "ok" && w.found !== "intact"),
    recoveredUnacknowledged: writes.filter((w) => (w.result === "info" || w.result === "pending") && w.found === "intact"),
    refusedRecovered: writes.filter((w) => w.result === "fail" && w.found === "intact"),
    corrupted: writes.filter((w) => w.found === "corrupted"),
    gaps,
    orderViolations: realTimeOrderViolations(writes),
    lossWindowMs,
    clientsAllLost: clientsAllLost.sort((a, b) => a - b),
    writingSpanMs: writingSpanMs(writes),
    quietBeforeFaultMs: faultAtMs === undefined ? null : quietBeforeMs(writes, faultAtMs),
    acknowledgedBeforeFault: faultAtMs === undefined ? null : writes.filter((w) => w.result === "ok" && w.invokeAtMs < faultAtMs).length,
    keysInDatabase: readBack.keysInDatabase,
    datasetKeys: readBack.datasetKeys,
    writes,
  };
}

function joinOutcomes(ops: readonly Op[], readBack: ReadBack): WriteOutcome[] {
  const outcomes = new Map<string, WriteOutcome>();
  for (const op of ops) {
    const key = readBackKey(op.client, op.seq);
    if (op.type === "invoke") {
      outcomes.set(key, { client: op.client, seq: op.seq, invokeAtMs: op.atMs, result: "pending", found: "missing" });
      continue;
    }
    const outcome = outcomes.get(key);
    if (!outcome) throw new Error(`history has a completion of ${key} without its invocation`);
    outcome.result = op.type;
    outcome.completedAtMs = op.atMs;
  }
  for (const [key, outcome] of outcomes) {
    const value = readBack.values.get(key);
    if (value === undefined || value === null) continue;
    const decoded = decodeRecord(outcome, value);
    if (decoded.ok) outcome.found = "intact";
    else {
      outcome.found = "corrupted";
      outcome.corruption = decoded.reason;
    }
  }
  return [...outcomes.values()];
}

function groupByClient(writes: WriteOutcome[]): Map<number, WriteOutcome[]> {
  const groups = new Map<number, WriteOutcome[]>();
  for (const write of writes) {
    const group = groups.get(write.client) ?? [];
    group.push(write);
    groups.set(write.client, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.seq - b.seq);
  return groups;
}

function findGaps(sortedWrites: WriteOutcome[]): Gap[] {
  const gaps: Gap[] = [];
  let firstLostAcked: WriteOutcome | undefined;
  for (const write of sortedWrites) {
    if (write.result === "ok" && write.found !== "intact") firstLostAcked ??= write;
    else if (firstLostAcked && write.found === "intact") {
      gaps.push({ client: write.client, lostSeq: firstLostAcked.seq, survivingSeq: write.seq });
    }
  }
  return gaps;
}

// A client none of whose acknowledged writes survived lost everything since the run began: null, not the span it wrote for.
function clientLossWindowMs(sortedWrites: WriteOutcome[], faultAtMs: number | undefined): number | null {
  const acked = sortedWrites.filter((w) => w.result === "ok" && w.completedAtMs !== undefined);
  if (!acked.some((w) => w.found !== "intact")) return 0;
  const lastAcked = acked.at(-1)?.completedAtMs as number;
  const lastSurviving = acked.filter((w) => w.found === "intact").at(-1)?.completedAtMs;
  if (lastSurviving === undefined) return null;
  return Math.max(0, Math.max(lastAcked, faultAtMs ?? lastAcked) - lastSurviving);
}

// Only writes invoked before the fault count: after a failover the writers go on against the new
// primary, and those acknowledgements say nothing of what was being written when the fault struck.
function quietBeforeMs(writes: readonly WriteOutcome[], faultAtMs: number): number {
  let lastAck = -Infinity;
  for (const w of writes) if (w.result === "ok" && w.completedAtMs !== undefined && w.invokeAtMs < faultAtMs) lastAck = Math.max(lastAck, w.completedAtMs);
  return lastAck === -Infinity ? 0 : Math.max(0, faultAtMs - lastAck);
}

function writingSpanMs(writes: readonly WriteOutcome[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const w of writes) {
    first = Math.min(first, w.invokeAtMs);
    if (w.result === "ok" && w.completedAtMs !== undefined) last = Math.max(last, w.completedAtMs);
  }
  return last > first ? last - first : 0;
}
