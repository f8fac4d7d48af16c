import { measureThroughput } from "../checkers/throughput.js";
import type { ThroughputFigures } from "../checkers/throughput.js";
import { dockerEngine } from "../runtime/docker-engine.js";
import { demuxDockerLog } from "../runtime/docker-log.js";
import { benchmarkBinaryOf } from "../runtime/images.js";
import { runLabels } from "../runtime/labels.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { systemClock } from "../workload/clock.js";
import { HistoryRecorder } from "../workload/history.js";
import { encodeRecord } from "../workload/record.js";
import { startWritersOn } from "../workload/wire-writers.js";
import type { BaselineMode } from "./report.js";

/** How to compare the harness writers with redis-benchmark on one mode. */
export interface BaselineOptions {
  image: string;
  /** The row: its name and the config it runs. */
  mode: { mode: string; configFile: string };
  clients: number;
  /** Writes in flight per client; redis-benchmark pipelines as many (-P). */
  depth: number;
  /** The workload's padding; the record written is a little longer, and redis-benchmark writes that many bytes. */
  valueBytes: number;
  writeMs: number;
}

const BENCHMARK_TIMEOUT_MS = 60_000;

/** The size of one record the writers send, which redis-benchmark matches with -d. */
export function recordBytes(valueBytes: number): number {
  return encodeRecord({ client: 1, seq: 10_000 }, valueBytes).length;
}

/**
 * Runs the harness writers, then redis-benchmark (same image, clients and value size) against the same
 * server's published port on 127.0.0.1 from a host-network container, and returns both rates.
 */
export async function measureBaseline(options: BaselineOptions): Promise<Omit<BaselineMode, "version">> {
  const node = await new RedisNode(options.image, options.mode.configFile).start();
  try {
    const harness = await harnessWriteRate(node, options.clients, options.depth, options.valueBytes, options.writeMs);
    // About as long as the harness wrote, so both see the same AOF growth.
    const requests = Math.min(200_000, Math.max(5_000, Math.round((harness.opsPerSecond * options.writeMs * 1.2) / 1000)));
    const benchmark = await runRedisBenchmark(options.image, await node.hostPort(), options.clients, options.depth, recordBytes(options.valueBytes), requests);
    return {
      mode: options.mode.mode,
      harnessOpsPerSecond: harness.opsPerSecond,
      benchmarkOpsPerSecond: benchmark.opsPerSecond,
      ratio: benchmark.opsPerSecond > 0 ? Math.round((harness.opsPerSecond / benchmark.opsPerSecond) * 100) / 100 : 0,
      harnessP50Ms: harness.p50Ms,
      benchmarkP50Ms: benchmark.p50Ms,
    };
  } finally {
    await node.remove();
  }
}

/** Runs the harness writers against `node` for `writeMs` and measures their rate and latency. */
export async function harnessWriteRate(node: StartedRedisNode, clients: number, depth: number, valueBytes: number, writeMs: number): Promise<ThroughputFigures> {
  const recorder = new HistoryRecorder(systemClock);
  const writers = await startWritersOn(node, { clients, depth, keyPrefix: "w:baseline", valueBytes, recorder });
  await new Promise((resolve) => setTimeout(resolve, writeMs));
  await writers.stop();
  return measureThroughput(recorder.history());
}

/** redis-benchmark's SET figures. */
export interface BenchmarkFigures {
  opsPerSecond: number;
  p50Ms: number | null;
}

/** redis-benchmark SET with the writers' shape against a published port on 127.0.0.1, from a host-network container of the same image. */
export async function runRedisBenchmark(image: string, port: number, clients: number, depth: number, valueBytes: number, requests: number): Promise<BenchmarkFigures> {
  const docker = await dockerEngine();
  const args = ["-h", "127.0.0.1", "-p", String(port), "-c", String(clients), "-P", String(depth), "-n", String(requests), "-t", "set", "-d", String(valueBytes), "-r", "1000000", "--csv"];
  // Host networking reaches the published port on 127.0.0.1, the same path the harness clients take.
  const container = await docker.createContainer({ Image: image, Cmd: [benchmarkBinaryOf(image), ...args], Labels: runLabels("benchmark"), HostConfig: { NetworkMode: "host" } });
  try {
    await container.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis-benchmark did not finish within ${BENCHMARK_TIMEOUT_MS} ms (${requests} requests)`)), BENCHMARK_TIMEOUT_MS);
    });
    await Promise.race([container.wait(), timeout]).finally(() => clearTimeout(timer));
    const output = demuxDockerLog(await container.logs({ stdout: true, stderr: true, follow: false }));
    return parseBenchmarkCsv(output);
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** Reads the SET line of `redis-benchmark --csv` (7.x: rps and latency columns; 6.x: rps only). */
export function parseBenchmarkCsv(output: string): BenchmarkFigures {
  const lines = output.split(/\r?\n/).map((line) => line.trim().split(",").map((field) => field.replace(/^"|"$/g, "")));
  const header = lines.find((fields) => fields[0] === "test");
  const set = lines.find((fields) => fields[0] === "SET");
  const rps = Number(set?.[1]);
  if (!set || !Number.isFinite(rps)) throw new Error(`redis-benchmark printed no SET figures; its output was:\n${output.slice(0, 800)}`);
  const p50Index = header?.indexOf("p50_latency_ms") ?? -1;
  const p50 = p50Index > 0 ? Number(set[p50Index]) : NaN;
  return { opsPerSecond: Math.round(rps), p50Ms: Number.isFinite(p50) ? p50 : null };
}
