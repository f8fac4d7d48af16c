// The harness's write path against redis-benchmark, candidates side by side in one run: the
// writers' shape (4 clients, 4 writes in flight each, the workload's record size) on the same
// server and published port, alternating candidates in every round so that drift hits all alike.
// Usage: npm run bench:writers -- [--modes none,aof-always] [--rounds 3] [--write-ms 1500]
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { MODES, modeNamed } from "../configs/modes.js";
import { DEFAULT_WORKLOAD } from "../harness/cell/run-cell.js";
import { measureThroughput } from "../harness/checkers/throughput.js";
import { recordBytes, runRedisBenchmark } from "../harness/report/baseline.js";
import { median } from "../harness/report/stats.js";
import { RedisNode } from "../harness/runtime/redis-node.js";
import type { StartedRedisNode } from "../harness/runtime/redis-node.js";
import { SEND_AT_MOST_ONCE } from "../harness/runtime/redis-client.js";
import { openSession } from "../harness/runtime/session.js";
import { systemClock } from "../harness/workload/clock.js";
import { HistoryRecorder } from "../harness/workload/history.js";
import { startWireWriters } from "../harness/workload/wire-writers.js";
import type { RunningWriters } from "../harness/workload/writers.js";
import { startWriters } from "../harness/workload/writers.js";

const { values } = parseArgs({ options: { modes: { type: "string" }, rounds: { type: "string" }, "write-ms": { type: "string" } } });
const modes = (values.modes ?? Object.keys(MODES).join(",")).split(",").map(modeNamed);
const rounds = Number(values.rounds ?? 3);
const writeMs = Number(values["write-ms"] ?? DEFAULT_WORKLOAD.writeBeforeMs);
const { clients, depth, valueBytes } = DEFAULT_WORKLOAD;

type Start = (node: StartedRedisNode, recorder: HistoryRecorder) => Promise<RunningWriters>;

/** The candidates: what the harness used before, the same without ioredis's per-command timer, and the bare-socket writers. */
const CANDIDATES: Record<string, Start> = {
  "ioredis (per-command timeout)": (node, recorder) => startWriters({ clients, depth, keyPrefix: "w:bench", valueBytes, recorder, connect: () => node.connect(5_000) }),
  "ioredis (no command timer)": (node, recorder) =>
    startWriters({
      clients,
      depth,
      keyPrefix: "w:bench",
      valueBytes,
      recorder,
      connect: async () => {
        const redis = new Redis({ host: "127.0.0.1", port: await node.hostPort(), ...SEND_AT_MOST_ONCE, enableReadyCheck: false, retryStrategy: () => null });
        redis.on("error", () => undefined);
        await redis.connect();
        return redis;
      },
    }),
  "wire (RESP over net.Socket)": async (node, recorder) =>
    startWireWriters({ clients, depth, keyPrefix: "w:bench", valueBytes, recorder, host: "127.0.0.1", port: await node.hostPort(), connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 }),
};

async function rateOf(node: StartedRedisNode, start: Start): Promise<number> {
  const recorder = new HistoryRecorder(systemClock);
  const writers = await start(node, recorder);
  await new Promise((resolve) => setTimeout(resolve, writeMs));
  await writers.stop();
  return measureThroughput(recorder.history()).opsPerSecond;
}

const session = await openSession();
const names = Object.keys(CANDIDATES);
const ratios = new Map<string, number[]>(names.map((n) => [n, []]));
process.stdout.write(`${clients} clients x ${depth} in flight, ${recordBytes(valueBytes)}-byte values, ${writeMs} ms per measurement, ${rounds} round(s), on ${session.image.name}\n`);
process.stdout.write(`${"mode".padEnd(14)} ${"redis-benchmark".padStart(16)}  ${names.map((n) => n.padStart(30)).join("  ")}\n`);
try {
  for (const mode of modes) {
    const node = await new RedisNode(session.image.name, mode.configFile).start();
    try {
      const rates = new Map<string, number[]>(names.map((n) => [n, []]));
      const benchmark: number[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const name of names) rates.get(name)?.push(await rateOf(node, CANDIDATES[name] as Start));
        const requests = Math.round((median(rates.get(names[0] as string) ?? [0]) * writeMs * 1.2) / 1000);
        benchmark.push((await runRedisBenchmark(session.image.name, await node.hostPort(), clients, depth, recordBytes(valueBytes), Math.max(5_000, requests))).opsPerSecond);
      }
      const bench = median(benchmark);
      const cells = names.map((name) => {
        const rate = median(rates.get(name) ?? []);
        const ratio = Math.round((rate / bench) * 100) / 100;
        ratios.get(name)?.push(ratio);
        return `${String(Math.round(rate)).padStart(8)}/s (${ratio.toFixed(2)})`.padStart(30);
      });
      process.stdout.write(`${mode.mode.padEnd(14)} ${`${Math.round(bench)}/s`.padStart(16)}  ${cells.join("  ")}\n`);
    } finally {
      await node.remove();
    }
  }
  process.stdout.write(`${"median ratio".padEnd(14)} ${"1.00".padStart(16)}  ${names.map((n) => median(ratios.get(n) ?? []).toFixed(2).padStart(30)).join("  ")}\n`);
} finally {
  await session.close();
}
