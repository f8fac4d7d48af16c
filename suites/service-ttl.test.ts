import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { modelKey } from "../app-under-test/src/event-store.js";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import type { ServiceClient } from "../harness/service/service-client.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { serviceUnderTestFromEnv } from "../harness/service/service-under-test.js";
import type { ServiceUnderTest } from "../harness/service/service-under-test.js";
import { referenceOnly } from "./support/reference-only.js";

// Redis stores a key's expiry as an absolute time: a model whose TTL ran out while Redis was down
// must not come back, one still alive must keep only what was left of its TTL (not a fresh one),
// and an expired model must be rebuilt from the event buffer, which has no TTL of its own.
// User models are the reference's own API (not the prediction API): skipped for a foreign service.
const redisImage = inject("redisImage");
const MODEL_TTL_MS = 16_000;
/** The second model is built this long after the first, so only the first expires during the outage (8 s of headroom: a recreate on a loaded machine took over 4 s). */
const SECOND_MODEL_AFTER_MS = 8_000;
/** How far past the first model's expiry Redis stays down. */
const EXPIRY_MARGIN_MS = 300;
/** PTTL is whole milliseconds and read a little after it is computed. */
const PTTL_SLACK_MS = 5;
const fault = PROCESS_FAULTS["recreate-same-volume"];

let service: ServiceUnderTest | undefined;
let stack: ServiceStack | undefined;

beforeAll(async () => {
  service = await serviceUnderTestFromEnv();
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

// RDB drops expired keys while loading; the AOF replays PEXPIREAT and Redis expires them on access.
describe.each<{ mode: Mode }>([{ mode: "aof-everysec" }, { mode: "rdb" }])("user-model TTLs across $mode's recreate-same-volume", ({ mode }) => {
  it("an expired model stays gone and is rebuilt from the buffer; a live one keeps its absolute expiry", async (ctx) => {
    const reference = referenceOnly(ctx, service, "its user models and their TTLs: POST /events and GET /users/<id>/model are not the prediction API");
    stack = await ServiceStack.start({
      purpose: `ttl-${mode}`,
      redisImage,
      service: reference,
      configFile: MODES[mode].configFile,
      namedVolume: true,
      serviceEnv: { MODEL_TTL_MS: String(MODEL_TTL_MS) },
    });
    const before = await stack.client();
    const expiring = await buildModel(before, `expiring-${mode}`);
    await sleep(SECOND_MODEL_AFTER_MS);
    const alive = await buildModel(before, `alive-${mode}`);
    // A third event each: a model rebuilt from the buffer counts 3 events, a stale copy 2.
    await postEvent(before, expiring.userId, 2);
    await postEvent(before, alive.userId, 2);

    await stack.faultRedis(fault, Math.max(0, expiring.latestExpiryMs + EXPIRY_MARGIN_MS - Date.now()));
    expect(Date.now(), "Redis was down past the first model's expiry").toBeGreaterThan(expiring.latestExpiryMs);

    const readBeforeMs = Date.now();
    const expiredExists = await stack.redis.withClient((redis) => redis.exists(modelKey(expiring.userId)));
    expect.soft(expiredExists, `${modelKey(expiring.userId)} after the outage`).toBe(0);
    // The service reads first, then Redis is asked: a service that extended TTLs on reads shows too.
    const after = await stack.client();
    const cached = await after.userModel(alive.userId);
    expect.soft(cached.body, "the live model is served from Redis as built before the outage").toMatchObject({ source: "cache", built_at: alive.builtAt, event_count: 2 });
    const remainingMs = alive.latestExpiryMs - readBeforeMs + PTTL_SLACK_MS;
    expect.soft(Number(cached.body.ttl_ms), `ttl_ms the service reports: what was left, at most ${remainingMs} ms`).toBeLessThanOrEqual(remainingMs);
    const alivePttl = await stack.redis.withClient((redis) => redis.pttl(modelKey(alive.userId)));
    const readAfterMs = Date.now();
    console.log(`${mode}: the live model had ${alivePttl} ms left after the outage (at most ${remainingMs} ms expected)`);
    expect.soft(alivePttl, `PTTL of ${modelKey(alive.userId)}: what was left of its TTL (<= ${remainingMs} ms), not a fresh ${MODEL_TTL_MS} ms`).toBeLessThanOrEqual(remainingMs);
    expect.soft(alivePttl, `PTTL of ${modelKey(alive.userId)}: still alive`).toBeGreaterThanOrEqual(alive.earliestExpiryMs - readAfterMs - PTTL_SLACK_MS);
    const rebuilt = await after.userModel(expiring.userId);
    expect.soft(rebuilt.body, "the expired model is rebuilt from the buffer").toMatchObject({ source: "rebuilt", event_count: 3, ttl_ms: MODEL_TTL_MS });
    expect.soft(Date.parse(String(rebuilt.body.built_at)), "the rebuilt model's built_at is after the outage").toBeGreaterThanOrEqual(readBeforeMs - 1_000);

    await sleep(Math.max(0, alive.latestExpiryMs - Date.now()) + EXPIRY_MARGIN_MS);
    const expired = await after.userModel(alive.userId);
    expect.soft(expired.body, "once its absolute expiry passes, the live model is rebuilt too").toMatchObject({ source: "rebuilt", event_count: 3 });
  });
});

/** Two events, then a model build; returns when its expiry must fall (epoch ms), from the request's start and end. */
async function buildModel(client: ServiceClient, userId: string): Promise<{ userId: string; builtAt: unknown; earliestExpiryMs: number; latestExpiryMs: number }> {
  await postEvent(client, userId, 0);
  await postEvent(client, userId, 1);
  const invokedAtMs = Date.now();
  const reply = await client.userModel(userId);
  const answeredAtMs = Date.now();
  expect(reply.body, `first model of ${userId}`).toMatchObject({ source: "rebuilt", event_count: 2, ttl_ms: MODEL_TTL_MS });
  return { userId, builtAt: reply.body.built_at, earliestExpiryMs: invokedAtMs + MODEL_TTL_MS, latestExpiryMs: answeredAtMs + MODEL_TTL_MS };
}

async function postEvent(client: ServiceClient, userId: string, n: number): Promise<void> {
  const reply = await client.postEvent({ user_id: userId, type: "view", item_id: `item-${n}`, timestamp: new Date(Date.now() - 1_000 + n).toISOString() });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}
