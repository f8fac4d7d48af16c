import { analyzeLoss } from "../checkers/loss.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Contract } from "../checkers/contract.js";
import type { Verdict } from "../checkers/verdict.js";
import { takeSnapshot } from "../workload/snapshot.js";
import { checkServiceAnswers } from "./service-answers.js";
import type { ServiceClient } from "./service-client.js";
import { ServiceHistory } from "./service-history.js";
import { readBackService } from "./service-readback.js";
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
  /** The service's HISTORY_LIMIT. */
  historyLimit: number;
}

/** What a case measured: the verdict over acknowledged writes and where the service's answers disagree with Redis. */
export interface ServiceCaseResult {
  name: string;
  verdict: Verdict;
  mismatches: string[];
  /** ms from the fault to a healthy service. */
  recoveryMs: number;
}

/** Events each case sends before its user's model is built. */
export const EVENTS_PER_CASE = 3;
/** Points each case writes (half before the snapshot, half after, where the contract takes one). */
export const POINTS_PER_CASE = 6;
/** Under a window contract, the first half is written this much more than the window before the fault. */
const WINDOW_MARGIN_MS = 500;

/**
 * Writes through the service as one user would, one request at a time (events, a model build,
 * one point per request), takes a snapshot or waits out the loss window where the contract has
 * one, inflicts the fault, then checks the writes the service acknowledged against the contract
 * (all of a case's writes are one stream, so a lost event followed by a surviving point is a gap)
 * and the service's answers against what survived.
 */
export async function runServiceCase(plan: ServiceCasePlan): Promise<ServiceCaseResult> {
  const history = new ServiceHistory();
  const before = await plan.stack.client();
  const userId = `u-${plan.name}`;
  const seriesId = `s-${plan.name}`;
  const nowMs = Date.now();
  for (let i = 0; i < EVENTS_PER_CASE; i++) {
    const event = { userId, type: i % 2 === 0 ? "view" : "click", itemId: `item-${i}`, timestampMs: nowMs - (EVENTS_PER_CASE - i) * 1_000 };
    await history.record(plan.name, { kind: "event", ...event }, () =>
      before.postEvent({ user_id: userId, type: event.type, item_id: event.itemId, timestamp: new Date(event.timestampMs).toISOString() }),
    );
  }
  await history.record(plan.name, { kind: "model", userId }, () => before.userModel(userId));
  const half = POINTS_PER_CASE / 2;
  await writePoints(history, plan.name, before, seriesId, 0, half);
  const contract = plan.contract;
  if (contract.kind === "after-snapshot-only") {
    await plan.stack.redis.withClient((redis) => takeSnapshot(redis, history.recorder, contract.mark), 60_000);
  } else if (contract.kind === "window") {
    // Writes older than the window must survive: without some, losing everything would pass.
    await new Promise((resolve) => setTimeout(resolve, contract.maxMs + WINDOW_MARGIN_MS));
  }
  await writePoints(history, plan.name, before, seriesId, half, POINTS_PER_CASE);

  const faultAtMs = Date.now();
  await plan.inflict(plan.stack);
  const recoveryMs = Date.now() - faultAtMs;

  const readBack = await plan.stack.redis.withClient((redis) => readBackService(redis, history));
  const verdict = checkContract(plan.contract, analyzeLoss(history.history(), readBack), history.history());
  const mismatches = await checkServiceAnswers(await plan.stack.client(), readBack, plan.historyLimit);
  return { name: plan.name, verdict, mismatches, recoveryMs };
}

async function writePoints(history: ServiceHistory, stream: string, client: ServiceClient, seriesId: string, from: number, to: number): Promise<void> {
  for (let seq = from; seq < to; seq++) {
    const point = pointAt(seq);
    await history.record(stream, { kind: "point", seriesId, ...point }, () => client.predict(seriesId, [toWire(point)]));
  }
}
