import { describe, expect, it } from "vitest";
import { predictNext } from "./model.js";

const HOUR_MS = 3_600_000;
const hourly = (...values: number[]) => values.map((value, i) => ({ timestampMs: Date.UTC(2024, 0, 1, 12) + i * HOUR_MS, value }));

describe("predictNext", () => {
  it("continues the article's example 10, 20, 30 with 40", () => {
    expect(predictNext(hourly(10, 20, 30))).toBe(40);
  });

  it("fits a least-squares line through noisy points", () => {
    // 1, 3, 5, 7, 9 plus noise that is symmetric and sums to zero: the fitted line is still 2x + 1.
    expect(predictNext(hourly(1.5, 2.5, 5, 6.5, 9.5))).toBe(11);
  });

  it("predicts a flat series and a single point as themselves", () => {
    expect(predictNext(hourly(7, 7, 7))).toBe(7);
    expect(predictNext(hourly(42))).toBe(42);
  });

  it("follows a falling trend below zero", () => {
    expect(predictNext(hourly(5, 0, -5))).toBe(-10);
  });

  it("uses the real spacing of irregular points and steps by the mean interval", () => {
    // value = t (in hours) at t = 0, 1, 3: mean step 1.5 h, next t = 4.5.
    const points = [0, 1, 3].map((h) => ({ timestampMs: h * HOUR_MS, value: h }));
    expect(predictNext(points)).toBe(4.5);
  });

  it("takes points that share one timestamp in order, one step apart", () => {
    expect(predictNext([10, 20, 30].map((value) => ({ timestampMs: 0, value })))).toBe(40);
  });

  it("hides float noise in the answer", () => {
    expect(predictNext(hourly(0.1, 0.2, 0.3))).toBe(0.4);
  });

  it("refuses an empty series", () => {
    expect(() => predictNext([])).toThrow(/at least one point/);
  });
});
