import { analyzeLoss } from "../checkers/loss.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Contract } from "../checkers/contract.js";
import type { Verdict } from "../checkers/verdict.js";
import type { ReadBack } from "../workload/readback.js";
import { takeSnapshot } from "../workload/snapshot.js";
import { readBackByApi } from "./api-readback.js";
import type { ApiReadBack } from "./api-readback.js";
import { checkServiceAnswers } from "./service-answers.js";
import type { ServiceClient } from "./service-client.js";
import { ServiceHistory } from "./service-history.js";
import { readBackService } from "./service-readback.js";
import type { ServiceReadBack } from "./service-readback.js";
import type { ServiceStack } from "./service-stack.js";
import { pointAt, toWire } from "./series-points.js";

/** One fault hitting a running stack, judged by what its users see afterwards. */
export interface ServiceCasePlan {
  /** Unique within the stack: names the case's series and user. */
  name: string;
  stack: ServiceStack;
  contract: Contract;
  /** Hits the stack and resolves once the service is healthy again. */
  inflict: (stack: ServiceStack) => Promise<void>;
  /** The reference service's HISTORY_LIMIT (its own checks compare predictions over that many points). */
  historyLimit: number;
  /**
   * After the read-back, SIGKILL and restart the service and read back again, so that a point
   * the service still held only in its memory counts as lost (default true).
   */
  rereadAfterServiceRestart?: boolean;
}

/** What a case measured: the verdict over acknowledged writes, and what only the reference is checked for. */
export interface ServiceCaseResult {
  name: string;
  verdict: Verdict;
  /** ms from the fault to a healthy service. */
  recoveryMs: number;
  /** The reference's answers that disagree with what Redis holds; null for a foreign service (not checked). */
  referenceMismatches: string[] | null;
  /** Findings to show whatever the verdict, e.g. points the service counted only until it restarted. */
  notes: string[];
}

/** Events each case sends to the reference before its user's model is built. */
export const EVENTS_PER_CASE = 3;
/** Points each case writes (half before the snapshot, half after, where the contract takes one). */
export const POINTS_PER_CASE = 6;
/** Under a window contract, the first half is written this much more than the window before the fault. */
const WINDOW_MARGIN_MS = 500;

/**
 * Writes through the service as one user would, one request at a time, each point to a series of
 * its own (for the reference also events and a model build first), takes a snapshot or waits out
 * the loss window where the contract has one, inflicts the fault, then reads every series back
 * through the API (data_points_used) and checks the acknowledged writes (2xx) against the
 * contract: a point the service no longer counts is lost. All of a case's writes are one stream,
 * so a lost write followed by a surviving one is a gap. For the reference, its events and model
 * are read from Redis, and its answers are compared with what Redis holds.
 */
export async function runServiceCase(plan: ServiceCasePlan): Promise<ServiceCaseResult> {
  const reference = plan.stack.serviceUnderTest.kind === "reference";
  const history = new ServiceHistory();
  const before = await plan.stack.client();
  if (reference) await writeEventsAndModel(history, plan.name, before);
  const half = POINTS_PER_CASE / 2;
  await writePoints(history, plan.name, before, 0, half);
  const contract = plan.contract;
  if (contract.kind === "after-snapshot-only") {
    await plan.stack.redis.withClient((redis) => takeSnapshot(redis, history.recorder, contract.mark), 60_000);
  } else if (contract.kind === "window") {
    // Writes older than the window must survive: without some, losing everything would pass.
    await new Promise((resolve) => setTimeout(resolve, contract.maxMs + WINDOW_MARGIN_MS));
  }
  await writePoints(history, plan.name, before, half, POINTS_PER_CASE);

  const faultAtMs = Date.now();
  await plan.inflict(plan.stack);
  const recoveryMs = Date.now() - faultAtMs;

  const notes: string[] = [];
  let api = await readBackByApi(await plan.stack.client(), history);
  if (plan.rereadAfterServiceRestart ?? true) {
    await plan.stack.killAndRestartService();
    api = intersect(api, await readBackByApi(await plan.stack.client(), history), notes);
  }
  notes.push(...api.anomalies);
  let readBack: ReadBack = api;
  let referenceMismatches: string[] | null = null;
  if (reference) {
    const stored = await plan.stack.redis.withClient((redis) => readBackService(redis, history));
    readBack = withStoredEventsAndModels(api, stored, history);
    referenceMismatches = await checkServiceAnswers(await plan.stack.client(), stored, plan.historyLimit);
  }
  const verdict = checkContract(plan.contract, analyzeLoss(history.history(), readBack), history.history());
  return { name: plan.name, verdict, recoveryMs, referenceMismatches, notes };
}

/** The series of the `seq`-th point of a case: one point per series, so a count says which point survived. */
export function caseSeries(caseName: string, seq: number): string {
  return `s-${caseName}-${seq}`;
}

async function writeEventsAndModel(history: ServiceHistory, stream: string, client: ServiceClient): Promise<void> {
  const userId = `u-${stream}`;
  const nowMs = Date.now();
  for (let i = 0; i < EVENTS_PER_CASE; i++) {
    const event = { userId, type: i % 2 === 0 ? "view" : "click", itemId: `item-${i}`, timestampMs: nowMs - (EVENTS_PER_CASE - i) * 1_000 };
    await history.record(stream, { kind: "event", ...event }, () =>
      client.postEvent({ user_id: userId, type: event.type, item_id: event.itemId, timestamp: new Date(event.timestampMs).toISOString() }),
    );
  }
  await history.record(stream, { kind: "model", userId }, () => client.userModel(userId));
}

async function writePoints(history: ServiceHistory, stream: string, client: ServiceClient, from: number, to: number): Promise<void> {
  for (let seq = from; seq < to; seq++) {
    const point = pointAt(seq);
    const seriesId = caseSeries(stream, seq);
    await history.record(stream, { kind: "point", seriesId, ...point }, () => client.predict(seriesId, [toWire(point)]));
  }
}

/** A point survived only if both read-backs count it; says how many only the first did. */
function intersect(first: ApiReadBack, second: ApiReadBack, notes: string[]): ApiReadBack {
  const values = new Map<string, string | null>();
  const vanished: string[] = [];
  for (const [id, value] of first.values) {
    const again = second.values.get(id) ?? null;
    values.set(id, value === null ? null : again);
    if (value !== null && again === null) vanished.push(id);
  }
  if (vanished.length > 0) {
    notes.push(`${vanished.length} points counted right after the fault were gone once the service restarted: it answered from memory (writes ${vanished.slice(0, 5).join(", ")})`);
  }
  let keysInDatabase = 0;
  for (const value of values.values()) if (value !== null) keysInDatabase++;
  return { values, keysInDatabase, counts: second.counts, anomalies: [...first.anomalies, ...second.anomalies] };
}

/** The API read-back of the points joined with the reference's events and models as Redis holds them. */
function withStoredEventsAndModels(api: ApiReadBack, stored: ServiceReadBack, history: ServiceHistory): ReadBack {
  const values = new Map(api.values);
  let storedOther = 0;
  for (const [id, write] of history.writes()) {
    if (write.kind === "point") continue;
    const value = stored.values.get(id) ?? null;
    values.set(id, value);
  }
  for (const count of stored.eventCounts.values()) storedOther += count;
  for (const builtAt of stored.models.values()) if (builtAt !== null) storedOther++;
  return { values, keysInDatabase: api.keysInDatabase + storedOther };
}
