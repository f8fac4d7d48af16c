import { describe, expect, it } from "vitest";
import { cellChanges, compareAcrossVersions, windowsDiffer } from "./compare-versions.js";
import type { ReportCell, Stat } from "./report.js";

const one = (value: number): Stat => ({ n: 1, min: value, median: value, max: value });

/** A hand-made cell: only what the comparison reads is meaningful. */
function cell(version: string, verdict: ReportCell["verdict"], lost: number, windowMs: number, acknowledged = 10_000, mode = "aof-everysec", fault = "sigkill"): ReportCell {
  const zero = one(0);
  return {
    mode,
    fault,
    version,
    topology: "single",
    acks: "reply",
    image: `image-${version}`,
    serverVersion: version,
    contract: { kind: "window", maxMs: 2_000 },
    contractText: "window <= 2 s",
    contractSource: "test",
    verdict,
    verdicts: [verdict],
    consistent: true,
    repetitions: 1,
    datasetKeys: 0,
    figures: {
      acknowledged: one(acknowledged),
      lostAcknowledged: one(lost),
      lossWindowMs: one(windowMs),
      allLost: acknowledged > 0 && lost === acknowledged,
      clientsAllLost: zero,
      gaps: zero,
      orderViolations: zero,
      corrupted: zero,
      recoveredUnacknowledged: zero,
      refusedRecovered: zero,
      recoveryMs: one(400),
      opsPerSecond: one(12_000),
      p50Ms: zero,
      p99Ms: zero,
      dataDirBytes: zero,
      durationMs: one(4_000),
    },
    reasons: [],
    artifactsDirs: [],
  };
}

describe("comparing a cell across versions", () => {
  it("always flags a verdict change", () => {
    expect(cellChanges(cell("6.0", true, 0, 0), cell("7.0", false, 0, 0)).map((c) => c.text)).toEqual(["verdict valid -> VIOLATED"]);
    expect(cellChanges(cell("6.0", true, 0, 0), cell("7.0", "unknown", 0, 0)).map((c) => c.figure)).toEqual(["verdict"]);
  });

  it("flags a loss where there was none, and its window when beyond the tolerance", () => {
    expect(cellChanges(cell("6.0", true, 0, 0), cell("7.0", true, 1_204, 1_200))).toEqual([
      { figure: "lost", before: 0, after: 1_204, text: "lost none -> 1,204" },
      { figure: "lossWindowMs", before: 0, after: 1_200, text: "loss window 0 ms -> 1.2 s" },
    ]);
  });

  it("flags a window that moved by more than max(250 ms, 50 %), not one that moved less", () => {
    expect(cellChanges(cell("6.0", true, 900, 400), cell("7.0", true, 2_000, 1_000)).map((c) => c.text)).toEqual(["loss window 400 ms -> 1 s"]);
    // 200 ms apart: below 250 ms.
    expect(cellChanges(cell("6.0", true, 0, 0), cell("7.0", true, 3, 200))).toEqual([{ figure: "lost", before: 0, after: 3, text: "lost none -> 3" }]);
    // 600 ms apart, but within half of 1.6 s.
    expect(cellChanges(cell("6.0", true, 700, 1_000), cell("7.0", true, 900, 1_600))).toEqual([]);
    expect(windowsDiffer(1_000, 1_250)).toBe(false);
    expect(windowsDiffer(1_000, 2_100)).toBe(true);
  });

  it("flags all lost against some lost, but ignores the window when both lost everything", () => {
    expect(cellChanges(cell("6.0", true, 5_000, 1_000), cell("7.0", true, 9_000, 1_500, 9_000)).map((c) => c.text)).toEqual(["lost 5,000 -> all (9,000)"]);
    expect(cellChanges(cell("6.0", true, 10_000, 400, 10_000), cell("7.0", true, 8_000, 1_600, 8_000))).toEqual([]);
  });

  it("compares each version with the one before it and lists only the changed cells", () => {
    const cells = [
      cell("6.0", true, 0, 0),
      cell("7.0", true, 0, 0),
      cell("8.0", false, 1_000, 2_600),
      cell("6.0", true, 100, 1_000, 10_000, "rdb"),
      cell("7.0", true, 120, 1_100, 10_000, "rdb"),
      cell("8.0", true, 0, 0, 10_000, "rdb"),
    ];
    const comparison = compareAcrossVersions(cells, ["6.0", "7.0", "8.0"]);
    expect(comparison.versions).toEqual(["6.0", "7.0", "8.0"]);
    expect(comparison.tolerance).toEqual({ lossWindowMs: 250, lossWindowRatio: 0.5 });
    expect(comparison.rule).toMatch(/max\(250 ms, 50 % of the larger window\)/);
    expect(comparison.changed.map((c) => `${c.mode} ${c.from}->${c.to}: ${c.changes.map((x) => x.figure).join(",")}`)).toEqual([
      "aof-everysec 7.0->8.0: verdict,lost,lossWindowMs",
      "rdb 7.0->8.0: lost,lossWindowMs",
    ]);
  });
});
