import type { History, Op } from "../workload/history.js";
import type { ReadBack } from "../workload/readback.js";
import { readBackKey } from "../workload/readback.js";
import { encodeRecord } from "../workload/record.js";

/** A hand-written write for checker tests: times in ms, `survives` says what the read-back finds. */
export interface ScriptedWrite {
  client: number;
  seq: number;
  invokeAtMs: number;
  okAtMs?: number;
  result?: "ok" | "fail" | "info";
  survives: boolean | "corrupted";
}

/** Builds the history and read-back that a list of scripted writes describes; `datasetKeys` of the `extraKeys` are named like the preload. */
export function scripted(writes: ScriptedWrite[], marks: History["marks"] = [], extraKeys = 0, datasetKeys?: number): { history: History; readBack: ReadBack } {
  const ops: Op[] = [];
  const values = new Map<string, string | null>();
  for (const w of writes) {
    ops.push({ client: w.client, seq: w.seq, type: "invoke", atMs: w.invokeAtMs });
    if (w.okAtMs !== undefined) ops.push({ client: w.client, seq: w.seq, type: w.result ?? "ok", atMs: w.okAtMs });
    const value = encodeRecord(w, 16);
    values.set(readBackKey(w.client, w.seq), w.survives === true ? value : w.survives === "corrupted" ? `${value}x` : null);
  }
  ops.sort((a, b) => a.atMs - b.atMs);
  const kept = [...values.values()].filter((v) => v !== null).length;
  return { history: { ops, marks }, readBack: { values, keysInDatabase: kept + extraKeys, ...(datasetKeys === undefined ? {} : { datasetKeys }) } };
}

/** `n` sequential acknowledged writes of one client, 1 ms apart; the last `lostTail` are missing. */
export function clientRun(client: number, n: number, lostTail = 0, startMs = 0): ScriptedWrite[] {
  return Array.from({ length: n }, (_, seq) => ({
    client,
    seq,
    invokeAtMs: startMs + seq,
    okAtMs: startMs + seq + 0.5,
    survives: seq < n - lostTail,
  }));
}
