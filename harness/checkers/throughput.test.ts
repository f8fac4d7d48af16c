import { describe, expect, it } from "vitest";
import type { Op } from "../workload/history.js";
import { measureThroughput } from "./throughput.js";

const write = (client: number, seq: number, invokeAtMs: number, doneAtMs: number, type: Op["type"] = "ok"): Op[] => [
  { client, seq, type: "invoke", atMs: invokeAtMs },
  { client, seq, type, atMs: doneAtMs },
];
const throughputOf = (...ops: Op[][]) => measureThroughput({ ops: ops.flat().sort((a, b) => a.atMs - b.atMs), marks: [] });

describe("measureThroughput", () => {
  it("counts acknowledged writes per second from the first invocation to the last acknowledgement", () => {
    // 4 acknowledged writes over 200 ms: 20 writes per second.
    const figures = throughputOf(write(0, 0, 100, 110), write(0, 1, 150, 160), write(1, 0, 200, 250), write(1, 1, 290, 300));
    expect(figures.acknowledged).toBe(4);
    expect(figures.opsPerSecond).toBe(20);
  });

  it("leaves refused and unknown writes out of the count and the latencies, but not out of the span's start", () => {
    // The failed write is invoked first (at 0) and answered last (at 1000): the span runs from 0 to the last ack, 100.
    const figures = throughputOf(write(0, 0, 0, 1000, "fail"), write(1, 0, 50, 100), write(2, 0, 60, 70, "info"));
    expect(figures.acknowledged).toBe(1);
    expect(figures.opsPerSecond).toBe(10);
    expect(figures.p50Ms).toBe(50);
    expect(figures.p99Ms).toBe(50);
  });

  it("takes p50 and p99 of the reply latencies, rounded to 0.01 ms", () => {
    // 100 writes whose latencies are 1..100 ms (invoked out of order of their latency).
    const ops = Array.from({ length: 100 }, (_, i) => write(i % 4, i, 1000 - i, 1000 - i + (100 - i) + 0.123));
    const figures = throughputOf(...ops);
    expect(figures.p50Ms).toBe(51.12);
    expect(figures.p99Ms).toBe(100.12);
  });

  it("takes the single latency as every percentile", () => {
    expect(throughputOf(write(0, 0, 10, 12.5))).toMatchObject({ acknowledged: 1, p50Ms: 2.5, p99Ms: 2.5, opsPerSecond: 400 });
  });

  it("says 0 for an empty history or one with nothing acknowledged", () => {
    expect(throughputOf()).toEqual({ acknowledged: 0, opsPerSecond: 0, p50Ms: 0, p99Ms: 0 });
    expect(throughputOf(write(0, 0, 0, 5, "info"))).toEqual({ acknowledged: 0, opsPerSecond: 0, p50Ms: 0, p99Ms: 0 });
  });

  it("rounds the rate to a whole number of writes per second", () => {
    // 2 acks over 300 ms: 6.67/s -> 7.
    expect(throughputOf(write(0, 0, 0, 100), write(0, 1, 100, 300)).opsPerSecond).toBe(7);
  });

  it("pairs each acknowledgement with its own invocation, by client and seq", () => {
    // Same seq, different clients: a key made of the seq alone would pair client 1's ack with client 0's later invoke.
    const figures = throughputOf(write(1, 0, 0, 40), write(0, 0, 30, 35));
    expect(figures.p50Ms).toBe(40);
    expect(figures.p99Ms).toBe(40);
  });

  it("says 0 writes per second when no invocation precedes the acknowledgements (no span to divide by)", () => {
    expect(measureThroughput({ ops: [{ client: 0, seq: 0, type: "ok", atMs: 10 }], marks: [] })).toEqual({ acknowledged: 1, opsPerSecond: 0, p50Ms: 0, p99Ms: 0 });
  });

  it("says 0 writes per second when the only write was acknowledged the moment it was sent", () => {
    expect(throughputOf(write(0, 0, 10, 10)).opsPerSecond).toBe(0);
  });

  it("counts an acknowledgement without its invocation as zero latency", () => {
    const figures = measureThroughput({ ops: [{ client: 0, seq: 0, type: "invoke", atMs: 0 }, { client: 0, seq: 0, type: "ok", atMs: 4 }, { client: 9, seq: 9, type: "ok", atMs: 10 }], marks: [] });
    expect(figures).toMatchObject({ acknowledged: 2, p50Ms: 4, p99Ms: 4, opsPerSecond: 200 });
  });
});
