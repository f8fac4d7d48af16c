import { describe, expect, it } from "vitest";
import { parseDurationMs, parseMiB, parseNameList, parseRate, parseWholeNumber } from "./options.js";

describe("command-line values", () => {
  it.each([
    ["0", 0],
    ["500ms", 500],
    ["1s", 1_000],
    ["1.5s", 1_500],
    ["2m", 120_000],
  ])("duration %s is %i ms", (text, ms) => {
    expect(parseDurationMs("--max-loss", text)).toBe(ms);
  });

  it("refuses a duration without a unit, naming the option and the value", () => {
    expect(() => parseDurationMs("--max-loss", "5")).toThrow("--max-loss 5: give a unit, e.g. 5s or 5ms");
    expect(() => parseDurationMs("--grace", "soon")).toThrow(/--grace soon: not a duration/);
  });

  it("checks names against the known ones", () => {
    expect(parseNameList("--modes", "rdb, none,rdb", ["none", "rdb"])).toEqual(["rdb", "none"]);
    expect(() => parseNameList("--modes", "rbd", ["none", "rdb"])).toThrow('--modes: unknown value "rbd"; known values: none, rdb');
  });

  it("reads sizes, counts and rates", () => {
    expect(parseMiB("--dataset-size", "64")).toBe(64);
    expect(parseMiB("--dataset-size", "1GiB")).toBe(1024);
    expect(parseWholeNumber("--repetitions", "3", 1)).toBe(3);
    expect(() => parseWholeNumber("--repetitions", "0", 1)).toThrow(/at least 1/);
    expect(parseRate("--min-throughput", "5k")).toBe(5_000);
  });
});
