import { describe, expect, it } from "vitest";
import { failoverCellLossWindowMs, failoverLossWindowMs } from "./failover-window.js";
import type { WriteOutcome } from "./loss.js";

const write = (client: number, seq: number, completedAtMs: number, found: WriteOutcome["found"], result: WriteOutcome["result"] = "ok"): WriteOutcome => ({
  client,
  seq,
  invokeAtMs: completedAtMs - 1,
  completedAtMs,
  result,
  found,
});

describe("failoverLossWindowMs", () => {
  it("is 0 when nothing acknowledged was lost", () => {
    expect(failoverLossWindowMs([write(0, 0, 10, "intact"), write(0, 1, 20, "missing", "info")])).toBe(0);
  });

  it("spans from the last survivor before the first loss to the last loss, though later writes survive", () => {
    const writes = [write(0, 0, 100, "intact"), write(0, 1, 200, "missing"), write(0, 2, 2_600, "missing"), write(0, 3, 3_000, "intact")];
    expect(failoverLossWindowMs(writes)).toBe(2_500);
  });

  it("takes the largest window over clients", () => {
    const writes = [write(0, 0, 100, "intact"), write(0, 1, 300, "missing"), write(1, 0, 100, "intact"), write(1, 1, 900, "missing")];
    expect(failoverLossWindowMs(writes)).toBe(800);
  });

  // Measured: a 16 s partition acknowledged 238,281 writes; a copy per write made the window take 159 s, past the case's timeout.
  it("measures a long partition's quarter of a million writes in well under a second", { timeout: 5_000 }, () => {
    const writes = Array.from({ length: 4 * 60_000 }, (_, i) => write(i % 4, Math.floor(i / 4), i * 0.07, i * 0.07 < 1_500 ? "intact" : "missing"));
    const startedAt = performance.now();
    expect(failoverLossWindowMs(writes)).toBeCloseTo(4 * 60_000 * 0.07 - 1_500, -1);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
  });

  it("is unbounded (null) when a client lost every acknowledged write up to its first loss", () => {
    expect(failoverLossWindowMs([write(0, 0, 100, "missing"), write(0, 1, 200, "intact")])).toBeNull();
  });

  it("ignores writes that were not acknowledged", () => {
    expect(failoverLossWindowMs([write(0, 0, 100, "intact"), write(0, 1, 5_000, "missing", "info")])).toBe(0);
  });
});

describe("failoverLossWindowMs: where a client's window starts", () => {
  it("starts at the survivor before the client's first lost write, not before a later lost one", () => {
    // Lost at 200 and 900, with a survivor at 500 between them: the window reaches back to 100.
    const writes = [write(0, 0, 100, "intact"), write(0, 1, 200, "missing"), write(0, 2, 500, "intact"), write(0, 3, 900, "missing")];
    expect(failoverLossWindowMs(writes)).toBe(800);
  });

  it("finds the first lost write by time even when it is not listed first", () => {
    const writes = [write(0, 3, 900, "missing"), write(0, 2, 500, "intact"), write(0, 1, 200, "corrupted"), write(0, 0, 100, "intact")];
    expect(failoverLossWindowMs(writes)).toBe(800);
  });

  it("starts at the last of several survivors before the first loss, not the earliest", () => {
    const writes = [write(0, 0, 100, "intact"), write(0, 1, 250, "intact"), write(0, 2, 300, "missing"), write(0, 3, 700, "missing")];
    expect(failoverLossWindowMs(writes)).toBe(450);
  });

  it("does not count a survivor acknowledged at the same instant as the first loss as before it", () => {
    // Same client, same timestamp: the order is unknown, so only the survivor strictly before counts.
    expect(failoverLossWindowMs([write(0, 0, 100, "intact"), write(0, 1, 300, "intact"), write(0, 2, 300, "missing"), write(0, 3, 600, "missing")])).toBe(500);
    expect(failoverLossWindowMs([write(0, 0, 300, "intact"), write(0, 1, 300, "missing")])).toBeNull();
  });
});

describe("failoverCellLossWindowMs", () => {
  // A restart without failover: the writers stalled 900 ms before the fault, survivors end 2,900 ms before it.
  const stalled = [write(0, 0, 7_100, "intact"), write(0, 1, 9_100, "missing"), write(1, 0, 7_100, "intact"), write(1, 1, 9_100, "missing")];

  it("keeps the stall before the fault that the failover window drops (measured back from the fault)", () => {
    expect(failoverLossWindowMs(stalled)).toBe(2_000);
    expect(failoverCellLossWindowMs(2_900, stalled)).toBe(2_900);
  });

  it("keeps the failover window where the measure back from the fault shrank (later writes to a new primary survive)", () => {
    const partition = [write(0, 0, 100, "intact"), write(0, 1, 200, "missing"), write(0, 2, 3_600, "missing"), write(0, 3, 5_000, "intact")];
    expect(failoverCellLossWindowMs(0, partition)).toBe(3_500);
  });

  it("is unbounded when either measure is", () => {
    expect(failoverCellLossWindowMs(null, stalled)).toBeNull();
    expect(failoverCellLossWindowMs(2_900, [write(0, 0, 100, "missing"), write(0, 1, 200, "intact")])).toBeNull();
  });
});
