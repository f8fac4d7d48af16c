import type { Point } from "../../app-under-test/src/model.js";
import type { WirePoint } from "./service-client.js";

/** Where generated series start: the article's first timestamp, 2024-01-01T12:00:00Z. */
export const SERIES_START_MS = Date.UTC(2024, 0, 1, 12);

/** One point per hour, as in the article's example. */
export const SERIES_STEP_MS = 3_600_000;

/** The `seq`-th point of a generated series: hourly, value 10 * (seq + 1), so any run of them predicts the next step exactly. */
export function pointAt(seq: number): Point {
  return { timestampMs: SERIES_START_MS + seq * SERIES_STEP_MS, value: 10 * (seq + 1) };
}

/** A point as the API takes it: an ISO timestamp without offset (UTC), as the article sends. */
export function toWire(point: Point): WirePoint {
  return { timestamp: new Date(point.timestampMs).toISOString().slice(0, 19), value: point.value };
}
