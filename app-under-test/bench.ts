import type { Redis } from "ioredis";
import { MODES } from "../configs/modes.js";
import type { ModeSpec } from "../configs/modes.js";
import { resolveServiceImage } from "../harness/runtime/service-image.js";
import { openSession } from "../harness/runtime/session.js";
import type { ServiceClient } from "../harness/service/service-client.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { referenceService } from "../harness/service/service-under-test.js";
import { pointAt, toWire } from "../harness/service/series-points.js";
import { encodePoint, seriesKey } from "./src/series-store.js";

// `npm run bench:app`: POST /predict throughput and p99 per persistence mode, next to the raw Redis
// ceiling for the same writes (one point per ZADD into per-client series, pipelined from the
// harness) measured on the same server in the same run. Not a test: it prints figures.

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const WARMUP_MS = 500;
/** Concurrent users of the service, each with one request in flight. */
const CONCURRENCY = 16;
/** Writes per pipeline of the raw ceiling. */
const PIPELINE_DEPTH = 64;

/** Throughput and latency of one side of the comparison. Times in ms. */
interface Figures {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const session = await openSession();
const rows: { mode: string; app: Figures; raw: Figures }[] = [];
try {
  const serviceImage = await resolveServiceImage();
  process.stderr.write(`[bench] Redis ${session.image.name}, service ${serviceImage.name} on ${serviceImage.base}; ${DURATION_MS} ms per side, ${CONCURRENCY} HTTP clients, pipelines of ${PIPELINE_DEPTH}\n`);
  for (const spec of Object.values(MODES)) rows.push(await benchMode(spec, session.image.name, serviceImage.name));
} finally {
  await session.close();
}
printTable(rows);

async function benchMode(spec: ModeSpec, redisImage: string, serviceImage: string): Promise<{ mode: string; app: Figures; raw: Figures }> {
  const stack = await ServiceStack.start({ purpose: `bench-${spec.mode}`, redisImage, service: referenceService(serviceImage), configFile: spec.configFile, namedVolume: true });
  try {
    const client = await stack.client({ maxSockets: CONCURRENCY, timeoutMs: 10_000 });
    await runApp(client, "warmup", WARMUP_MS);
    const app = await runApp(client, "app", DURATION_MS);
    const redis = await stack.redis.connect(10_000);
    try {
      const raw = await runRaw(redis, "raw", DURATION_MS);
      process.stderr.write(`[bench] ${spec.mode}: app ${app.opsPerSecond}/s p99 ${app.p99Ms} ms; raw ${raw.opsPerSecond}/s\n`);
      return { mode: spec.mode, app, raw };
    } finally {
      redis.disconnect();
    }
  } finally {
    await stack.close();
  }
}

/** CONCURRENCY users, each posting one new point per request to its own series, for `durationMs`. */
async function runApp(client: ServiceClient, prefix: string, durationMs: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const startedAtMs = performance.now();
  const deadline = startedAtMs + durationMs;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, user) => {
      for (let seq = 0; performance.now() < deadline; seq++) {
        const reply = await client.predict(`${prefix}-${user}`, [toWire(pointAt(seq))]).catch(() => undefined);
        if (reply?.status === 200) latencies.push(reply.latencyMs);
        else errors++;
      }
    }),
  );
  return figures(latencies, performance.now() - startedAtMs, 1, errors);
}

/** The same writes straight to Redis: one ZADD per point, PIPELINE_DEPTH per round trip, CONCURRENCY series. */
async function runRaw(redis: Redis, prefix: string, durationMs: number): Promise<Figures> {
  const batchLatencies: number[] = [];
  const startedAtMs = performance.now();
  const deadline = startedAtMs + durationMs;
  for (let batch = 0; performance.now() < deadline; batch++) {
    const pipeline = redis.pipeline();
    for (let i = 0; i < PIPELINE_DEPTH; i++) {
      const seq = batch * PIPELINE_DEPTH + i;
      const point = pointAt(Math.floor(seq / CONCURRENCY));
      pipeline.zadd(seriesKey(`${prefix}-${seq % CONCURRENCY}`), String(point.timestampMs), encodePoint(point));
    }
    const sentAtMs = performance.now();
    await pipeline.exec();
    batchLatencies.push(performance.now() - sentAtMs);
  }
  return figures(batchLatencies, performance.now() - startedAtMs, PIPELINE_DEPTH, 0);
}

function figures(latencies: number[], elapsedMs: number, opsPerSample: number, errors: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => round1(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { opsPerSecond: Math.round((latencies.length * opsPerSample * 1000) / elapsedMs), p50Ms: at(0.5), p99Ms: at(0.99), errors };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function printTable(results: { mode: string; app: Figures; raw: Figures }[]): void {
  const header = ["mode", "app req/s", "app p50 ms", "app p99 ms", "app errors", "raw ZADD/s", `raw p99 ms (batch of ${PIPELINE_DEPTH})`, "app / raw"];
  const lines = results.map(({ mode, app, raw }) => [
    mode,
    String(app.opsPerSecond),
    String(app.p50Ms),
    String(app.p99Ms),
    String(app.errors),
    String(raw.opsPerSecond),
    String(raw.p99Ms),
    raw.opsPerSecond > 0 ? `${((app.opsPerSecond / raw.opsPerSecond) * 100).toFixed(1)} %` : "n/a",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const format = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  process.stdout.write([format(header), format(widths.map((w) => "-".repeat(w))), ...lines.map(format)].join("\n") + "\n");
}
