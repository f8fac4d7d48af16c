import type { Point } from "./model.js";
import { parseTimestampMs } from "./timestamps.js";

/** Bad input: the field it concerns (a JSON path such as `historical_data[2].timestamp`) and why. */
export class InvalidInput extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "InvalidInput";
  }
}

/** A valid POST /predict body. */
export interface PredictRequest {
  seriesId: string;
  /** Possibly empty: predict from stored history alone. */
  points: Point[];
}

/** A valid POST /events body. Times in ms since the epoch. */
export interface UserEvent {
  userId: string;
  type: string;
  itemId: string;
  timestampMs: number;
}

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const LABEL_MAX_CHARS = 128;

/** Checks a POST /predict body; throws InvalidInput naming the first bad field. Pure. */
export function parsePredictRequest(body: unknown, maxPoints: number): PredictRequest {
  const object = asObject(body, "body");
  const seriesId = identifier(object.series_id, "series_id");
  const history = object.historical_data;
  if (history === undefined || history === null) return { seriesId, points: [] };
  if (!Array.isArray(history)) throw new InvalidInput("historical_data", `expected an array of {timestamp, value}, got ${typeName(history)}`);
  if (history.length > maxPoints) throw new InvalidInput("historical_data", `${history.length} points exceed the limit of ${maxPoints} per request (MAX_POINTS_PER_REQUEST)`);
  const points = history.map((entry, i) => point(entry, `historical_data[${i}]`));
  return { seriesId, points };
}

/** Checks a POST /events body; throws InvalidInput naming the first bad field. Pure. */
export function parseUserEvent(body: unknown): UserEvent {
  const object = asObject(body, "body");
  const userId = identifier(object.user_id, "user_id");
  const type = label(object.type, "type");
  const rawItem = object.item_id;
  const itemId = typeof rawItem === "number" && Number.isSafeInteger(rawItem) ? String(rawItem) : label(rawItem, "item_id");
  return { userId, type, itemId, timestampMs: timestamp(object.timestamp, "timestamp") };
}

/** Checks an id taken from a URL path; throws InvalidInput naming it. Pure. */
export function parseIdentifier(value: string, field: string): string {
  return identifier(value, field);
}

function point(entry: unknown, path: string): Point {
  const object = asObject(entry, path);
  const value = object.value;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidInput(`${path}.value`, `expected a finite number, got ${typeName(value)}`);
  return { timestampMs: timestamp(object.timestamp, `${path}.timestamp`), value };
}

function timestamp(value: unknown, path: string): number {
  if (typeof value !== "string") throw new InvalidInput(path, `expected an ISO 8601 string such as "2024-01-01T12:00:00", got ${typeName(value)}`);
  const ms = parseTimestampMs(value);
  if (ms === undefined) throw new InvalidInput(path, `"${value.slice(0, 40)}" is not an ISO 8601 date-time such as "2024-01-01T12:00:00" (UTC unless it has an offset)`);
  return ms;
}

function identifier(value: unknown, path: string): string {
  if (typeof value !== "string") throw new InvalidInput(path, `expected a string, got ${typeName(value)}`);
  if (!ID.test(value)) throw new InvalidInput(path, `"${value.slice(0, 40)}" must be 1-128 characters of A-Z, a-z, 0-9, _ . : -`);
  return value;
}

function label(value: unknown, path: string): string {
  if (typeof value !== "string" || value.length === 0) throw new InvalidInput(path, `expected a non-empty string, got ${typeName(value)}`);
  if (value.length > LABEL_MAX_CHARS) throw new InvalidInput(path, `longer than ${LABEL_MAX_CHARS} characters`);
  return value;
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidInput(path, `expected a JSON object, got ${typeName(value)}`);
  return value as Record<string, unknown>;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string "${value.slice(0, 40)}"`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
