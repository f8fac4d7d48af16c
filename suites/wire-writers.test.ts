import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { RedisNode } from "../harness/runtime/redis-node.js";
import type { StartedRedisNode } from "../harness/runtime/redis-node.js";
import { systemClock } from "../harness/workload/clock.js";
import type { History, Op } from "../harness/workload/history.js";
import { HistoryRecorder } from "../harness/workload/history.js";
import { decodeRecord, recordKey } from "../harness/workload/record.js";
import { startWireWriters } from "../harness/workload/wire-writers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The guarantees every checker rests on, held by the bare-socket writers against a real server.
function everyWriteOnce(history: History): { completions: Map<string, Op>; maxInFlight: number } {
  const completions = new Map<string, Op>();
  const invoked = new Set<string>();
  let inFlight = new Map<number, number>();
  let maxInFlight = 0;
  for (const op of history.ops) {
    const id = `${op.client}:${op.seq}`;
    if (op.type === "invoke") {
      expect(invoked.has(id), `${id} invoked twice`).toBe(false);
      invoked.add(id);
      inFlight = new Map(inFlight).set(op.client, (inFlight.get(op.client) ?? 0) + 1);
      maxInFlight = Math.max(maxInFlight, inFlight.get(op.client) ?? 0);
    } else {
      expect(invoked.has(id), `${id} completed before it was invoked`).toBe(true);
      expect(completions.has(id), `${id} completed twice`).toBe(false);
      completions.set(id, op);
      inFlight.set(op.client, (inFlight.get(op.client) ?? 0) - 1);
    }
  }
  expect(completions.size).toBe(invoked.size);
  return { completions, maxInFlight };
}

describe("the wire writers (RESP over a socket) keep the history's guarantees against a real server", () => {
  let node: StartedRedisNode;
  let port: number;

  beforeAll(async () => {
    node = await new RedisNode(inject("redisImage"), MODES.none.configFile).start();
    port = await node.hostPort();
  }, 60_000);

  afterAll(async () => {
    await node?.remove();
  });

  const writers = (recorder: HistoryRecorder, keyPrefix: string, commandTimeoutMs = 5_000) =>
    startWireWriters({ clients: 3, depth: 4, keyPrefix, valueBytes: 64, recorder, host: "127.0.0.1", port, connectTimeoutMs: 5_000, commandTimeoutMs });

  it("completes every write exactly once, at most depth in flight, and every acknowledged record is stored as written", async () => {
    const recorder = new HistoryRecorder(systemClock);
    const running = await writers(recorder, "w:wire-ok");
    await sleep(800);
    await running.stop();
    const { completions, maxInFlight } = everyWriteOnce(recorder.history());
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const acked = [...completions.values()].filter((op) => op.type === "ok");
    expect(acked.length).toBeGreaterThan(1_000);
    expect(acked.length).toBe(completions.size);
    const sample = acked.filter((_, i) => i % 97 === 0);
    const values = await node.withClient((redis) => redis.mget(...sample.map((op) => recordKey("w:wire-ok", op))));
    sample.forEach((op, i) => expect(decodeRecord({ client: op.client, seq: op.seq }, values[i] ?? "")).toEqual({ ok: true, id: { client: op.client, seq: op.seq } }));
    // Nothing was written that the history does not hold: no retry, no write after stop.
    expect(await node.withClient((redis) => redis.keys("w:wire-ok:*"))).toHaveLength(completions.size);
  });

  it("records a write the server refuses (OOM) as failed with its error, and keeps writing", async () => {
    await node.withClient(async (redis) => {
      await redis.flushall();
      await redis.config("SET", "maxmemory-policy", "noeviction");
      await redis.config("SET", "maxmemory", "1");
    });
    const recorder = new HistoryRecorder(systemClock);
    const running = await writers(recorder, "w:wire-oom");
    await sleep(300);
    await running.stop();
    await node.withClient((redis) => redis.config("SET", "maxmemory", "0"));
    const { completions } = everyWriteOnce(recorder.history());
    const failed = [...completions.values()].filter((op) => op.type === "fail");
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.length).toBe(completions.size);
    expect(failed[0]?.error).toMatch(/^OOM /);
  });

  it("records the writes in flight as unknown when no reply comes in time, and sends nothing more on that connection", async () => {
    const recorder = new HistoryRecorder(systemClock);
    const running = await writers(recorder, "w:wire-late", 300);
    await sleep(200);
    // The server holds every client's commands for 1.5 s (CLIENT PAUSE: Redis 2.9.50 and later, no DEBUG needed).
    await node.withClient((redis) => redis.call("CLIENT", "PAUSE", "1500"), 5_000);
    await sleep(1_600);
    await running.stop();
    const { completions } = everyWriteOnce(recorder.history());
    const late = [...completions.values()].filter((op) => op.type === "info");
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((op) => op.error === "no reply within 300 ms")).toBe(true);
    for (const client of [0, 1, 2]) {
      const ops = recorder.history().ops.filter((op) => op.client === client);
      const firstLate = ops.findIndex((op) => op.type === "info");
      expect(ops.slice(firstLate).every((op) => op.type === "info"), `client ${client} went on after its timeout`).toBe(true);
    }
  }, 20_000);

  it("records the writes in flight as unknown when the server is killed, and none as acknowledged after", async () => {
    const victim = await new RedisNode(inject("redisImage"), MODES.none.configFile).start();
    try {
      const recorder = new HistoryRecorder(systemClock);
      const running = await startWireWriters({ clients: 3, depth: 4, keyPrefix: "w:wire-kill", valueBytes: 64, recorder, host: "127.0.0.1", port: await victim.hostPort(), connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 });
      await sleep(400);
      await victim.signal("SIGKILL");
      const killedAt = systemClock.nowMs();
      await running.stop();
      const { completions } = everyWriteOnce(recorder.history());
      const unknown = [...completions.values()].filter((op) => op.type === "info");
      expect(unknown.length).toBeGreaterThan(0);
      expect([...completions.values()].filter((op) => op.type === "ok" && op.atMs > killedAt + 1_000)).toEqual([]);
      // A client whose connection broke sends nothing more: no acknowledgement follows its first unknown write.
      for (const client of [0, 1, 2]) {
        const ops = recorder.history().ops.filter((op) => op.client === client && op.type !== "invoke");
        const firstUnknown = ops.findIndex((op) => op.type === "info");
        if (firstUnknown >= 0) expect(ops.slice(firstUnknown).filter((op) => op.type !== "info"), `client ${client}`).toEqual([]);
      }
    } finally {
      await victim.remove();
    }
  }, 30_000);
});
