import type { History, Op } from "../workload/history.js";
import type { ReadBack } from "../workload/readback.js";
import { readBackKey } from "../workload/readback.js";
import { decodeRecord } from "../workload/record.js";

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
  recoveredUnacknowledged: WriteOutcome[];
  corrupted: WriteOutcome[];
  gaps: Gap[];
  /** Max over clients of (last acknowledged write - last surviving acknowledged write), in ms. */
  lossWindowMs: number;
  keysInDatabase: number;
  writes: WriteOutcome[];
}

/** Joins a history with what was read back after recovery; pure. */
export function analyzeLoss(history: History, readBack: ReadBack): LossAnalysis {
  const writes = joinOutcomes(history.ops, readBack);
  const byClient = groupByClient(writes);
  const gaps: Gap[] = [];
  let lossWindowMs = 0;
  for (const clientWrites of byClient.values()) {
    gaps.push(...findGaps(clientWrites));
    lossWindowMs = Math.max(lossWindowMs, clientLossWindowMs(clientWrites));
  }
  return {
    attempted: writes.length,
    acknowledged: writes.filter((w) => w.result === "ok").length,
    failed: writes.filter((w) => w.result === "fail").length,
    unknown: writes.filter((w) => w.result === "info" || w.result === "pending").length,
    survived: writes.filter((w) => w.found === "intact").length,
    lostAcknowledged: writes.filter((w) => w.result === "ok" && w.found !== "intact"),
    recoveredUnacknowledged: writes.filter((w) => w.result !== "ok" && w.found === "intact"),
    corrupted: writes.filter((w) => w.found === "corrupted"),
    gaps,
    lossWindowMs,
    keysInDatabase: readBack.keysInDatabase,
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

function clientLossWindowMs(sortedWrites: WriteOutcome[]): number {
  const acked = sortedWrites.filter((w) => w.result === "ok");
  const lastAcked = acked.at(-1);
  if (!lastAcked?.completedAtMs) return 0;
  const lastSurviving = acked.filter((w) => w.found === "intact").at(-1);
  const since = lastSurviving?.completedAtMs ?? sortedWrites[0]?.invokeAtMs ?? lastAcked.completedAtMs;
  return Math.max(0, lastAcked.completedAtMs - since);
}
