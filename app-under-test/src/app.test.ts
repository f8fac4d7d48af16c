import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";

// The HTTP surface without Redis: a stand-in whose every command fails the way ioredis does when
// the server is unreachable, and which records whether anything was sent at all.
const sent: string[] = [];
const offline = (name: string) => () => {
  sent.push(name);
  return Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
};
const unreachableRedis = {
  status: "reconnecting",
  ping: offline("ping"),
  get: offline("get"),
  set: offline("set"),
  zrangebyscore: offline("zrangebyscore"),
  multi: () => {
    const chain: Record<string, unknown> = {};
    for (const command of ["zadd", "zrange", "zremrangebyscore", "zremrangebyrank", "zcard", "get", "pttl"]) chain[command] = () => chain;
    chain.exec = offline("exec");
    return chain;
  },
} as unknown as Redis;

let server: Server;
let base: string;

beforeAll(async () => {
  const config = loadConfig({ MAX_BODY_BYTES: "1024", MAX_POINTS_PER_REQUEST: "5" });
  server = createServer((req, res) => void createApp({ redis: unreachableRedis, config, nowMs: Date.now })(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function post(path: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json" } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("bad input gets 4xx naming the field, and nothing reaches Redis", () => {
  it.each([
    ["malformed JSON", "/predict", "{bad", 400, "body"],
    ["an empty body", "/predict", "", 400, "body"],
    ["a JSON array", "/predict", "[]", 400, "body"],
    ["a missing series_id", "/predict", JSON.stringify({ historical_data: [] }), 400, "series_id"],
    ["a wrong-typed value", "/predict", JSON.stringify({ series_id: "s", historical_data: [{ timestamp: "2024-01-01T12:00:00", value: "10" }] }), 400, "historical_data[0].value"],
    ["a bad timestamp", "/predict", JSON.stringify({ series_id: "s", historical_data: [{ timestamp: "2024-01-01T25:00:00", value: 1 }] }), 400, "historical_data[0].timestamp"],
    ["too many points", "/predict", JSON.stringify({ series_id: "s", historical_data: Array.from({ length: 6 }, (_, i) => ({ timestamp: `2024-01-01T0${i}:00:00`, value: i })) }), 400, "historical_data"],
    ["an oversized body", "/predict", JSON.stringify({ series_id: "s", pad: "x".repeat(2_000) }), 413, "body"],
    ["an event without item_id", "/events", JSON.stringify({ user_id: "u", type: "view", timestamp: new Date().toISOString() }), 400, "item_id"],
    ["an event older than the window", "/events", JSON.stringify({ user_id: "u", type: "view", item_id: "i", timestamp: "2000-01-01T00:00:00Z" }), 400, "timestamp"],
  ])("%s", async (_, path, body, status, field) => {
    sent.length = 0;
    const reply = await post(path, body);
    expect(reply.status).toBe(status);
    expect(reply.body.field).toBe(field);
    expect(sent).toEqual([]);
  });
});

describe("while Redis is unreachable", () => {
  it("answers /health with 503 and redis_connected false, without waiting", async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", redis_connected: false, model_loaded: true });
  });

  it("answers a valid prediction with 503 and redis_connected false", async () => {
    const reply = await post("/predict", JSON.stringify({ series_id: "demo", historical_data: [{ timestamp: "2024-01-01T12:00:00", value: 10 }] }));
    expect(reply.status).toBe(503);
    expect(reply.body.redis_connected).toBe(false);
    expect(String(reply.body.error)).toMatch(/^Redis unavailable/);
  });
});

describe("routing", () => {
  it("answers an unknown path with 404 and a known path with the wrong method with 405", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/predict`)).status).toBe(405);
  });
});
