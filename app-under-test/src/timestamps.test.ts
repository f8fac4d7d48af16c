import { describe, expect, it } from "vitest";
import { parseTimestampMs } from "./timestamps.js";

describe("parseTimestampMs", () => {
  it("reads the article's timestamps as UTC, whatever the server's zone", () => {
    expect(parseTimestampMs("2024-01-01T12:00:00")).toBe(Date.UTC(2024, 0, 1, 12));
  });

  it("applies Z and numeric offsets", () => {
    expect(parseTimestampMs("2024-01-01T12:00:00Z")).toBe(Date.UTC(2024, 0, 1, 12));
    expect(parseTimestampMs("2024-01-01T14:00:00+02:00")).toBe(Date.UTC(2024, 0, 1, 12));
    expect(parseTimestampMs("2024-01-01T07:00:00-0500")).toBe(Date.UTC(2024, 0, 1, 12));
  });

  it("keeps milliseconds and accepts minutes-only times and a space separator", () => {
    expect(parseTimestampMs("2024-01-01T12:00:00.250")).toBe(Date.UTC(2024, 0, 1, 12, 0, 0, 250));
    expect(parseTimestampMs("2024-01-01 12:30")).toBe(Date.UTC(2024, 0, 1, 12, 30));
  });

  it("accepts leap days that exist and refuses those that do not", () => {
    expect(parseTimestampMs("2024-02-29T00:00:00")).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestampMs("2023-02-29T00:00:00")).toBeUndefined();
  });

  it.each(["", "yesterday", "2024-01-01", "2024-13-01T00:00:00", "2024-01-32T00:00:00", "2024-01-01T24:00:00", "2024-01-01T12:60:00", "1704110400000", "2024-01-01T12:00:00+5"])(
    "refuses %j",
    (text) => {
      expect(parseTimestampMs(text)).toBeUndefined();
    },
  );
});
