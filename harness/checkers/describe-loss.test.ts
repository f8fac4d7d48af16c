import { describe, expect, it } from "vitest";
import { CONTRACT_KINDS, describeContract } from "./contract.js";
import type { Contract } from "./contract.js";
import { describeLoss, describeWindow } from "./describe-loss.js";
import { composeValidity } from "./verdict.js";

const ms = (value: number): string => `${value} ms`;
const figures = (lostAcknowledged: number, lossWindowMs: number | null, allLost = false, clientsAllLost = 0) => ({ acknowledged: 5000, lostAcknowledged, lossWindowMs, allLost, clientsAllLost });

describe("describeLoss", () => {
  it("says none lost when nothing acknowledged was lost, whatever the window says", () => {
    expect(describeLoss(figures(0, 0), ms)).toBe("none lost");
    expect(describeLoss(figures(0, null), ms)).toBe("none lost");
  });

  it("names a total loss as such, never as a window", () => {
    expect(describeLoss(figures(2041, null, true, 4), ms)).toBe("all 2,041 lost");
  });

  it("calls the window unbounded when some clients lost every write, with how many", () => {
    expect(describeLoss(figures(1500, null, false, 1), ms)).toBe("1,500 lost, window unbounded (1 client lost every write)");
    expect(describeLoss(figures(1500, null, false, 3), ms)).toBe("1,500 lost, window unbounded (3 clients lost every write)");
    // A failover window reaching back to a client's first write, with no client that lost everything (found by review: read "0 clients lost every write").
    expect(describeLoss(figures(1, null, false, 0), ms)).toBe("1 lost, window unbounded (a client lost its first acknowledged writes)");
  });

  it("gives a bounded loss with its window, formatted by the caller", () => {
    expect(describeLoss(figures(12, 400), ms)).toBe("12 lost, window 400 ms");
    expect(describeLoss(figures(12, 0), ms)).toBe("12 lost, window 0 ms");
  });

  it("says when losses were out of order, which a small window would hide", () => {
    expect(describeLoss({ ...figures(220, 0), gaps: 150, orderViolations: 210 }, ms)).toBe("220 lost, window 0 ms, 210 out of order");
    expect(describeLoss({ ...figures(220, 0), gaps: 0, orderViolations: 0 }, ms)).toBe("220 lost, window 0 ms");
  });
});

describe("describeWindow", () => {
  it("says all lost, unbounded, or the window", () => {
    expect(describeWindow({ lossWindowMs: null, allLost: true }, ms)).toBe("all lost");
    expect(describeWindow({ lossWindowMs: 0, allLost: true }, ms)).toBe("all lost");
    expect(describeWindow({ lossWindowMs: null, allLost: false }, ms)).toBe("unbounded");
    expect(describeWindow({ lossWindowMs: 1600, allLost: false }, ms)).toBe("1600 ms");
  });
});

describe("describeContract", () => {
  it("gives one distinct sentence per contract kind", () => {
    const contracts: Contract[] = [
      { kind: "none-lost" },
      { kind: "all-lost" },
      { kind: "after-snapshot-only", mark: "snapshot" },
      { kind: "window", maxMs: 2000 },
      { kind: "since-last-fsync", mark: "last-fsync" },
      { kind: "evicted-only", measurement: "evictedKeys" },
      { kind: "some-lost" },
      { kind: "may-lose" },
      { kind: "failover-window", maxMs: 3000 },
    ];
    expect(contracts.map((c) => c.kind)).toEqual([...CONTRACT_KINDS]);
    expect(contracts.map(describeContract)).toEqual([
      "no acknowledged write lost",
      "everything lost",
      "only writes after the last completed snapshot lost",
      "loss window <= 2000 ms",
      "only writes since the last fsync lost",
      "writes lost only to eviction (no more than the keys Redis evicted)",
      "some acknowledged writes lost",
      "may lose acknowledged writes (measured)",
      "failover loss window <= 3000 ms",
    ]);
  });
});

describe("composeValidity", () => {
  it("lets false beat unknown beat not-applicable beat true", () => {
    expect(composeValidity()).toBe(true);
    expect(composeValidity(true, true)).toBe(true);
    expect(composeValidity(true, "not-applicable")).toBe("not-applicable");
    expect(composeValidity("not-applicable", "unknown", true)).toBe("unknown");
    expect(composeValidity("unknown", false, "not-applicable")).toBe(false);
    expect(composeValidity(true, false)).toBe(false);
  });
});

describe("describeLoss: losses out of order", () => {
  it("says how many losses the window hides, by the larger of gaps and order violations", () => {
    expect(describeLoss({ ...figures(12, 400), gaps: 7, orderViolations: 3 }, ms)).toBe("12 lost, window 400 ms, 7 out of order");
    expect(describeLoss({ ...figures(12, 400), gaps: 2, orderViolations: 5 }, ms)).toBe("12 lost, window 400 ms, 5 out of order");
    expect(describeLoss({ ...figures(12, 400), gaps: 1200 }, ms)).toBe("12 lost, window 400 ms, 1,200 out of order");
    expect(describeLoss({ ...figures(12, 400), gaps: 0, orderViolations: 0 }, ms)).toBe("12 lost, window 400 ms");
  });
});
