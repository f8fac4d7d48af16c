import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import type { Validity } from "../checkers/verdict.js";
import { documentedBounds } from "./documented-bounds.js";
import { recommend } from "./recommend.js";
import type { ReportCell, Stat } from "./report.js";

const bounds = documentedBounds(Object.values(MODES));
const stat = (value: number): Stat => ({ n: 1, min: value, median: value, max: value });

// Only what the recommendation reads of a cell.
function cell(mode: string, fault: string, windowMs: number | null, verdict: Validity = true, opsPerSecond = 20_000): ReportCell {
  const allLost = windowMs === null;
  return {
    mode,
    fault,
    version: "default",
    serverVersion: "7.0.15",
    verdict,
    figures: { lossWindowMs: allLost ? null : stat(windowMs), allLost, opsPerSecond: stat(opsPerSecond) },
  } as unknown as ReportCell;
}
const needs = (maxLossMs: number) => ({ maxLossMs, minOpsPerSecond: 5_000 });
const assessed = (cells: ReportCell[], maxLossMs: number, mode: string) => recommend(cells, needs(maxLossMs), bounds).modes.find((m) => m.mode === mode);

describe("recommend: a mode qualifies only when its documented bounds and its measured cells are within the need", () => {
  it("holds a power cut to the documented power-loss bound: aof-no loses nothing to a kill but qualifies only for process faults", () => {
    const processOnly = [cell("aof-no", "sigkill", 0), cell("aof-no", "graceful-stop", 0)];
    expect(assessed(processOnly, 1_000, "aof-no")).toMatchObject({ qualifies: true, reasons: expect.arrayContaining([expect.stringMatching(/for process faults only: a power cut can lose/)]) });
    const withPower = [...processOnly, cell("aof-no", "power-loss", 0)];
    expect(assessed(withPower, 1_000, "aof-no")).toMatchObject({ qualifies: false, reasons: [expect.stringMatching(/^documented worst case 30 s exceeds 1 s on a power cut/)] });
  });

  it("never qualifies a mode a measured cell lost a whole client of, however loose the need", () => {
    const rdb = [cell("rdb", "sigkill", null), cell("rdb", "graceful-stop", 0)];
    const assessment = assessed(rdb, 3_600_000, "rdb");
    expect(assessment?.qualifies).toBe(false);
    expect(assessment?.reasons).toEqual([expect.stringMatching(/^measured: some client lost every acknowledged write under sigkill \(window unbounded\)$/)]);
  });

  it("never qualifies on a lucky run: a documented bound over the need decides even when nothing was lost", () => {
    expect(assessed([cell("aof-everysec", "sigkill", 0)], 1_000, "aof-everysec")).toMatchObject({ qualifies: false, reasons: [expect.stringMatching(/^documented worst case 2 s exceeds 1 s/)] });
    expect(assessed([cell("aof-everysec", "sigkill", 0)], 3_000, "aof-everysec")?.qualifies).toBe(true);
  });

  it("does not count a not-applicable cell against a mode, and does count an unknown one", () => {
    expect(assessed([cell("aof-always", "sigkill", 0), cell("aof-always", "short-grace", 0, "not-applicable")], 0, "aof-always")?.qualifies).toBe(true);
    expect(assessed([cell("aof-always", "sigkill", 0), cell("aof-always", "short-grace", 0, "unknown")], 0, "aof-always")?.qualifies).toBe(false);
  });
});
