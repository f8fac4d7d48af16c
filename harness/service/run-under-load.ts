import { setTimeout as sleep } from "node:timers/promises";
import { analyzeLoss } from "../checkers/loss.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Contract } from "../checkers/contract.js";
import type { Verdict } from "../checkers/verdict.js";
import type { Fault } from "../faults/fault.js";
import { readBackByApi } from "./api-readback.js";
import { startHealthPoller, statusRuns } from "./health-poller.js";
import type { HealthSample } from "./health-poller.js";
import { startPointWriters } from "./point-writers.js";
import type { Answer } from "./service-history.js";
import { ServiceHistory } from "./service-history.js";
import type { ServiceStack } from "./service-stack.js";

/** Users writing while Redis goes away and comes back. Times in ms. */
export interface UnderLoadPlan {
  stack: ServiceStack;
  fault: Fault;
  contract: Contract;
  writers: number;
  writeBeforeMs: number;
  /** How much longer Redis stays down after the fault. */
  outageMs: number;
  writeAfterMs: number;
  healthPollMs: number;
}

/** What the run saw: the verdict over every acknowledged point, every answer and health sample, and when Redis was away. Times in ms. */
export interface UnderLoadResult {
  verdict: Verdict;
  answers: readonly Answer[];
  health: HealthSample[];
  faultAtMs: number;
  healthyAtMs: number;
  /** The answers given while Redis was away (after the fault, before the service was healthy again). */
  duringOutage: Answer[];
  slowestMs: number;
  /** One line of figures. */
  summary: string;
}

/**
 * Starts `writers` users posting one point per request (each point its own series) and a health
 * poller, inflicts the fault with an outage while they write, keeps writing after the service is
 * healthy again, then reads every series back through the API and checks the acknowledged points
 * against the contract.
 */
export async function runUnderLoad(plan: UnderLoadPlan): Promise<UnderLoadResult> {
  const { stack } = plan;
  const history = new ServiceHistory();
  const poller = startHealthPoller(await stack.client({ timeoutMs: 10_000 }), plan.healthPollMs);
  const writers = startPointWriters(await stack.client({ timeoutMs: 10_000, maxSockets: plan.writers }), history, "load", plan.writers);
  await sleep(plan.writeBeforeMs);
  const faultAtMs = Date.now();
  try {
    await stack.faultRedis(plan.fault, plan.outageMs);
  } catch (error) {
    // The service never came back: the users' loops must not outlive the case.
    await Promise.all([writers.stop(), poller.stop()]);
    throw error;
  }
  const healthyAtMs = Date.now();
  await sleep(plan.writeAfterMs);
  await writers.stop();
  const health = await poller.stop();

  const readBack = await readBackByApi(await stack.client({ maxSockets: 4 }), history);
  const verdict = checkContract(plan.contract, analyzeLoss(history.history(), readBack), history.history());
  const answers = history.answers();
  const duringOutage = answers.filter((a) => a.atMs > faultAtMs && a.atMs < healthyAtMs);
  const slowestMs = [...answers, ...health].reduce((max, a) => Math.max(max, a.latencyMs), 0);
  const summary = JSON.stringify({
    health: statusRuns(health),
    answers: answers.length,
    acknowledged: verdict.figures.acknowledged,
    lost: verdict.figures.lostAcknowledged,
    outageStatuses: [...new Set(duringOutage.map((a) => a.status))],
    slowestMs: Math.round(slowestMs),
    recoveredMs: healthyAtMs - faultAtMs,
  });
  return { verdict, answers, health, faultAtMs, healthyAtMs, duringOutage, slowestMs, summary };
}
