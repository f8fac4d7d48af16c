import { describe, expect, it } from "vitest";
import { InvalidInput, parsePredictRequest, parseUserEvent } from "./validation.js";

const MAX_POINTS = 3;
const article = { series_id: "demo", historical_data: [{ timestamp: "2024-01-01T12:00:00", value: 10 }] };

function rejection(action: () => unknown): { field: string; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidInput) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error("expected InvalidInput, nothing was thrown");
}

describe("parsePredictRequest", () => {
  it("accepts the article's body", () => {
    expect(parsePredictRequest(article, MAX_POINTS)).toEqual({ seriesId: "demo", points: [{ timestampMs: Date.UTC(2024, 0, 1, 12), value: 10 }] });
  });

  it("accepts a body without historical_data (predict from stored history)", () => {
    expect(parsePredictRequest({ series_id: "demo" }, MAX_POINTS)).toEqual({ seriesId: "demo", points: [] });
    expect(parsePredictRequest({ series_id: "demo", historical_data: null }, MAX_POINTS).points).toEqual([]);
  });

  it.each([
    ["a non-object body", [1, 2], "body", /JSON object, got an array/],
    ["a null body", null, "body", /got null/],
    ["a missing series_id", { historical_data: [] }, "series_id", /expected a string, got undefined/],
    ["a numeric series_id", { series_id: 7 }, "series_id", /got number 7/],
    ["an empty series_id", { series_id: "" }, "series_id", /1-128 characters/],
    ["a series_id with a space", { series_id: "a b" }, "series_id", /1-128 characters/],
    ["a series_id of 129 characters", { series_id: "x".repeat(129) }, "series_id", /1-128 characters/],
    ["historical_data as an object", { series_id: "s", historical_data: {} }, "historical_data", /expected an array/],
    ["a point that is a number", { series_id: "s", historical_data: [5] }, "historical_data[0]", /JSON object/],
    ["a string value", { series_id: "s", historical_data: [{ timestamp: "2024-01-01T12:00:00", value: "10" }] }, "historical_data[0].value", /finite number, got the string "10"/],
    ["a missing value", { series_id: "s", historical_data: [{ timestamp: "2024-01-01T12:00:00" }] }, "historical_data[0].value", /got undefined/],
    ["a missing timestamp", { series_id: "s", historical_data: [{ value: 1 }] }, "historical_data[0].timestamp", /ISO 8601 string/],
    ["an epoch timestamp", { series_id: "s", historical_data: [{ timestamp: 1704110400000, value: 1 }] }, "historical_data[0].timestamp", /ISO 8601 string/],
    ["an impossible date", { series_id: "s", historical_data: [{ timestamp: "2024-02-30T00:00:00", value: 1 }] }, "historical_data[0].timestamp", /not an ISO 8601 date-time/],
    ["too many points", { series_id: "s", historical_data: Array.from({ length: MAX_POINTS + 1 }, () => article.historical_data[0]) }, "historical_data", /4 points exceed the limit of 3/],
  ])("refuses %s, naming the field", (_, body, field, message) => {
    const refused = rejection(() => parsePredictRequest(body, MAX_POINTS));
    expect(refused.field).toBe(field);
    expect(refused.message).toMatch(message);
  });

  it("names the first bad point, not just the array", () => {
    const body = { series_id: "s", historical_data: [article.historical_data[0], { timestamp: "2024-01-01T13:00:00", value: Number.NaN }] };
    expect(rejection(() => parsePredictRequest(body, MAX_POINTS)).field).toBe("historical_data[1].value");
  });
});

describe("parseUserEvent", () => {
  const event = { user_id: "u1", type: "view", item_id: "sku-1", timestamp: "2024-01-01T12:00:00Z" };

  it("accepts an event, and an integer item_id as a string", () => {
    expect(parseUserEvent(event)).toEqual({ userId: "u1", type: "view", itemId: "sku-1", timestampMs: Date.UTC(2024, 0, 1, 12) });
    expect(parseUserEvent({ ...event, item_id: 42 }).itemId).toBe("42");
  });

  it.each([
    ["user_id", { ...event, user_id: undefined }],
    ["type", { ...event, type: "" }],
    ["type", { ...event, type: "t".repeat(129) }],
    ["item_id", { ...event, item_id: 1.5 }],
    ["item_id", { ...event, item_id: null }],
    ["timestamp", { ...event, timestamp: "soon" }],
  ])("refuses a bad %s, naming it", (field, body) => {
    expect(rejection(() => parseUserEvent(body)).field).toBe(field);
  });
});
