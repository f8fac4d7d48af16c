import type { History } from "../workload/history.js";

/** Write throughput and latency of a history's acknowledged writes. Times in ms. */
export interface ThroughputFigures {
  acknowledged: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Measures acknowledged writes per second (first invoke to last ack) and reply latency percentiles; pure. */
export function measureThroughput(history: History): ThroughputFigures {
  const invokedAt = new Map<string, number>();
  const latencies: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const op of history.ops) {
    const key = `${op.client}:${op.seq}`;
    if (op.type === "invoke") {
      invokedAt.set(key, op.atMs);
      first = Math.min(first, op.atMs);
    } else if (op.type === "ok") {
      latencies.push(op.atMs - (invokedAt.get(key) ?? op.atMs));
      last = Math.max(last, op.atMs);
    }
  }
  latencies.sort((a, b) => a - b);
  const spanMs = last - first;
  return {
    acknowledged: latencies.length,
    opsPerSecond: spanMs > 0 ? Math.round((latencies.length * 1000) / spanMs) : 0,
    p50Ms: round2(percentile(latencies, 0.5)),
    p99Ms: round2(percentile(latencies, 0.99)),
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
