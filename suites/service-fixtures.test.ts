import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { runServiceCase } from "../harness/service/run-service-case.js";
import type { ServiceCaseResult } from "../harness/service/run-service-case.js";
import { runUnderLoad } from "../harness/service/run-under-load.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import type { StackPlan } from "../harness/service/service-stack.js";
import { foreignService } from "../harness/service/service-under-test.js";
import type { ServiceUnderTest } from "../harness/service/service-under-test.js";
import { FLASK_PORT, resolveFlaskImages } from "./fixtures/flask-service/flask-images.js";
import type { FlaskImages } from "./fixtures/flask-service/flask-images.js";
import { formatServiceCaseFailure, formatServiceCaseLine } from "./support/format-service-case.js";

// The service suites judge any implementation of the prediction API by its HTTP answers. Shown
// here on one that is not ours in spirit (Python, Flask, redis-py, port 5000, REDIS_HOST and
// REDIS_PORT, a LOOKBACK_WINDOW), on a deliberately broken variant (answers 200 before writing
// to Redis, red by design: it must be caught with the points it lost), and on services started
// with the wrong knobs (one line saying what was expected and what came back).
const redisImage = inject("redisImage");
const SERVICE_GRACE_MS = 10_000;
const aofAlways = MODES["aof-always"];

let images: FlaskImages;
let stack: ServiceStack | undefined;

beforeAll(async () => {
  images = await resolveFlaskImages();
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function plan(purpose: string, service: ServiceUnderTest): StackPlan {
  return { purpose, redisImage, service, configFile: aofAlways.configFile, namedVolume: true };
}

const serviceRestart = async (s: ServiceStack): Promise<void> => {
  await s.restartService(SERVICE_GRACE_MS);
};

describe("the seed article's service: Flask + redis-py", () => {
  it("reached on port 5000 with REDIS_HOST and REDIS_PORT; SERVICE_ENV's LOOKBACK_WINDOW caps data_points_used", async () => {
    stack = await ServiceStack.start(plan("flask-knobs", foreignService(images.correct, FLASK_PORT, { env: { LOOKBACK_WINDOW: "4" } })));
    const client = await stack.client();
    const points = Array.from({ length: 6 }, (_, i) => ({ timestamp: `2024-01-01T1${i}:00:00`, value: 10 * (i + 1) }));
    const reply = await client.predict("capped", points);
    expect(reply.body, "six points, a lookback window of 4").toMatchObject({ series_id: "capped", data_points_used: 4, redis_connected: true });
    expect(reply.body.prediction, "its own model (a moving average), not the reference's least squares (70)").toBe(50);
  });

  it("aof-always: a service restart and a Redis sigkill lose no acknowledged point", async () => {
    stack = await ServiceStack.start(plan("flask-ok", foreignService(images.correct, FLASK_PORT)));
    const results: ServiceCaseResult[] = [];
    results.push(await runServiceCase({ name: "service-restart", stack, contract: { kind: "none-lost" }, historyLimit: 0, rereadAfterServiceRestart: false, inflict: serviceRestart }));
    results.push(await runServiceCase({ name: "sigkill", stack, contract: aofAlways.contracts.sigkill.contract, historyLimit: 0, inflict: (s) => s.faultRedis(PROCESS_FAULTS.sigkill).then(() => undefined) }));
    for (const result of results) {
      console.log(`flask: ${formatServiceCaseLine("aof-always", result)}`);
      expect.soft(result.verdict.valid, formatServiceCaseFailure("aof-always", result, aofAlways.contracts.sigkill.source)).toBe(true);
      expect.soft(result.referenceMismatches, "a foreign service is not held to the reference's own checks").toBeNull();
    }
  });
});

// Red by design: each case below must find the write-behind service losing acknowledged points.
describe("the write-behind variant (answers 200 before writing to Redis) is caught", () => {
  it("aof-always x service restart: the points acknowledged in its last second are lost", async () => {
    stack = await ServiceStack.start(plan("flask-wb-restart", foreignService(images.writeBehind, FLASK_PORT)));
    const result = await runServiceCase({ name: "service-restart", stack, contract: { kind: "none-lost" }, historyLimit: 0, rereadAfterServiceRestart: false, inflict: serviceRestart });
    console.log(`write-behind: ${formatServiceCaseLine("aof-always", result)}\n${formatServiceCaseFailure("aof-always", result, "red by design")}`);
    expect(result.verdict.valid, "the none-lost contract must be found broken").toBe(false);
    expect(result.verdict.figures.lostAcknowledged, "acknowledged points lost").toBeGreaterThan(0);
    expect(result.verdict.evidence.join("\n"), "the lost points are named").toMatch(/seq \d+/);
  });

  it("aof-always x Redis sigkill, points held in memory only (FLUSH_INTERVAL_MS=60000): lost, seen once the service restarts", async () => {
    const service = foreignService(images.writeBehind, FLASK_PORT, { env: { FLUSH_INTERVAL_MS: "60000" } });
    stack = await ServiceStack.start(plan("flask-wb-memory", service));
    const result = await runServiceCase({ name: "sigkill", stack, contract: aofAlways.contracts.sigkill.contract, historyLimit: 0, inflict: (s) => s.faultRedis(PROCESS_FAULTS.sigkill).then(() => undefined) });
    console.log(`write-behind, memory only: ${formatServiceCaseLine("aof-always", result)}`);
    expect(result.verdict.valid, "the none-lost contract must be found broken").toBe(false);
    expect(result.verdict.figures.lostAcknowledged, "every point sat in its memory").toBe(result.verdict.figures.acknowledged);
    expect(result.notes.join("\n"), "right after the fault it still counted them, from memory").toMatch(/^6 points counted right after the fault were gone once the service restarted/);
  });

  it("aof-always x Redis sigkill under load: the points acknowledged before the kill are lost", async () => {
    stack = await ServiceStack.start(plan("flask-wb-load", foreignService(images.writeBehind, FLASK_PORT)));
    const result = await runUnderLoad({ stack, fault: PROCESS_FAULTS.sigkill, contract: { kind: "none-lost" }, writers: 4, writeBeforeMs: 1_500, outageMs: 1_500, writeAfterMs: 1_000, healthPollMs: 50 });
    console.log(`write-behind under load: ${result.summary}\n${[...result.verdict.reasons, ...result.verdict.evidence].join("\n")}`);
    expect(result.verdict.valid, "the none-lost contract must be found broken").toBe(false);
    expect(result.verdict.figures.lostAcknowledged, "acknowledged points lost").toBeGreaterThan(0);
    expect(result.verdict.figures.allLost, "only what sat in its queue is lost: what it had flushed before survives").toBe(false);
  });
});

describe("a service started with the wrong knobs gets one line: what was expected, what came back", () => {
  it("the wrong SERVICE_PORT: nothing listens there, and the port it does listen on", async () => {
    const attempt = ServiceStack.start(plan("flask-wrong-port", foreignService(images.correct, 8000)));
    await expect(attempt).rejects.toThrow(/^the service \(\S+\): GET \/health on port 8000 inside the container: expected 2xx within \d+ ms, got no answer: nothing listens on port 8000 in the container; it listens on 5000: set SERVICE_PORT\n/);
  });

  it("the wrong SERVICE_HEALTH_PATH: the 404 it got", async () => {
    const attempt = ServiceStack.start(plan("flask-wrong-health", foreignService(images.correct, FLASK_PORT, { healthPath: "/healthz" })));
    await expect(attempt).rejects.toThrow(/^the service \(\S+\): GET \/healthz on port 5000 inside the container: expected 2xx within \d+ ms, got 404 [^\n]*: is \/healthz its health path\? set SERVICE_HEALTH_PATH\n/);
  });
});
