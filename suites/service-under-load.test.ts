import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { analyzeLoss } from "../harness/checkers/loss.js";
import { checkContract } from "../harness/checkers/check-contract.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import type { FaultName } from "../harness/faults/fault.js";
import { resolveServiceImage } from "../harness/runtime/service-image.js";
import { startHealthPoller, statusRuns } from "../harness/service/health-poller.js";
import { startPointWriters } from "../harness/service/point-writers.js";
import { ServiceHistory } from "../harness/service/service-history.js";
import { readBackService } from "../harness/service/service-readback.js";
import { ServiceStack } from "../harness/service/service-stack.js";

// Users keep posting while Redis goes away and comes back: the service must answer every request
// quickly (503 while Redis is gone), reconnect by itself, and never have answered 200 for a point
// that the mode's contract says must survive but did not.
const redisImage = inject("redisImage");
const WRITERS = 4;
const WRITE_BEFORE_MS = 1_500;
const OUTAGE_MS = 1_500;
const WRITE_AFTER_MS = 1_000;
const HEALTH_POLL_MS = 50;
/** The service's REDIS_COMMAND_TIMEOUT_MS (1 s) plus slack: no request may hang longer. */
const FAIL_FAST_MS = 2_000;

let serviceImage: string;
let stack: ServiceStack | undefined;

beforeAll(async () => {
  serviceImage = (await resolveServiceImage()).name;
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const CASES: { mode: Mode; fault: FaultName }[] = [
  { mode: "aof-everysec", fault: "graceful-stop" },
  { mode: "aof-always", fault: "sigkill" },
];

describe.each(CASES)("Redis $fault under load, $mode", ({ mode, fault: faultName }) => {
  const spec = MODES[mode];
  const fault = PROCESS_FAULTS[faultName];
  const expected = spec.contracts[faultName];

  it(`health 503 and back, requests fail fast, ${describeContract(expected.contract)}`, async () => {
    stack = await ServiceStack.start({ purpose: `load-${mode}`, redisImage, serviceImage, configFile: spec.configFile, namedVolume: true, serviceEnv: { HISTORY_LIMIT: "10" } });
    const history = new ServiceHistory();
    const poller = startHealthPoller(await stack.client({ timeoutMs: 10_000 }), HEALTH_POLL_MS);
    const writers = startPointWriters(await stack.client({ timeoutMs: 10_000, maxSockets: WRITERS }), history, "load", WRITERS);
    await sleep(WRITE_BEFORE_MS);
    const faultAtMs = Date.now();
    await stack.faultRedis(fault, OUTAGE_MS);
    const healthyAtMs = Date.now();
    await sleep(WRITE_AFTER_MS);
    await writers.stop();
    const health = await poller.stop();

    const readBack = await stack.redis.withClient((redis) => readBackService(redis, history));
    const verdict = checkContract(expected.contract, analyzeLoss(history.history(), readBack), history.history());
    const answers = history.answers();
    const duringOutage = answers.filter((a) => a.atMs > faultAtMs && a.atMs < healthyAtMs);
    const slowest = [...answers, ...health].reduce((max, a) => Math.max(max, a.latencyMs), 0);
    const summary = {
      health: statusRuns(health),
      answers: answers.length,
      acknowledged: verdict.figures.acknowledged,
      lost: verdict.figures.lostAcknowledged,
      outageStatuses: [...new Set(duringOutage.map((a) => a.status))],
      slowestMs: Math.round(slowest),
      recoveredMs: healthyAtMs - faultAtMs,
    };
    console.log(`${mode} x ${faultName} under load: ${JSON.stringify(summary)}`);

    expect.soft(statusRuns(health), "GET /health over the run").toEqual([200, 503, 200]);
    expect.soft(duringOutage.filter((a) => a.status === 503).length, "requests answered 503 while Redis was away").toBeGreaterThan(0);
    expect.soft(duringOutage.filter((a) => a.status !== 503 && a.status !== 200), "answers other than 200/503 during the outage").toEqual([]);
    expect.soft(slowest, `the slowest request took ${Math.round(slowest)} ms`).toBeLessThan(FAIL_FAST_MS);
    expect.soft(answers.filter((a) => a.atMs > healthyAtMs && a.status === 200).length, "points acknowledged after recovery").toBeGreaterThan(0);
    expect.soft(verdict.valid, [...verdict.reasons, ...verdict.evidence, `source: ${expected.source}`].join("\n")).toBe(true);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
