import type { Redis } from "ioredis";
import { buildUserModel } from "./user-model.js";
import type { UserModel } from "./user-model.js";
import { CorruptData } from "./redis-errors.js";
import { execTransaction } from "./transaction.js";
import type { UserEvent } from "./validation.js";

/** How the event buffer and the materialized model are kept. Times in ms. */
export interface EventStoreSettings {
  windowMs: number;
  bufferMax: number;
  modelTtlMs: number;
}

/** A user's model as served, with where it came from and how long the stored copy still lives. */
export interface ServedModel {
  model: UserModel;
  source: "cache" | "rebuilt";
  /** Remaining TTL of `umodel:<user_id>` in Redis (PTTL), in ms. */
  ttlMs: number;
}

/** The sorted set buffering a user's events: score = event time (epoch ms), member = [ms, type, item] as JSON. */
export function eventKey(userId: string): string {
  return `evt:${userId}`;
}

/** The string holding a user's materialized model as JSON, with a TTL. */
export function modelKey(userId: string): string {
  return `umodel:${userId}`;
}

/** The buffer member of one event: [ms, type, item] as JSON, so the same event sent twice is stored once. */
export function encodeEvent(event: UserEvent): string {
  return JSON.stringify([event.timestampMs, event.type, event.itemId]);
}

/**
 * Appends an event and prunes the buffer to the window and the size cap, in one MULTI/EXEC.
 * The same event sent twice is stored once. Returns how many events the buffer holds.
 */
export async function appendEvent(redis: Redis, event: UserEvent, settings: EventStoreSettings, nowMs: number): Promise<number> {
  const key = eventKey(event.userId);
  const member = encodeEvent(event);
  const replies = await execTransaction(
    redis
      .multi()
      .zadd(key, event.timestampMs, member)
      .zremrangebyscore(key, "-inf", `(${nowMs - settings.windowMs}`)
      .zremrangebyrank(key, 0, -(settings.bufferMax + 1))
      .zcard(key),
  );
  return replies.at(-1) as number;
}

/**
 * The stored model while its TTL runs; otherwise rebuilds it from the events still in the window
 * and stores it for `modelTtlMs`. Undefined when the user has no buffered events.
 */
export async function serveModel(redis: Redis, userId: string, settings: EventStoreSettings, nowMs: number): Promise<ServedModel | undefined> {
  const key = modelKey(userId);
  const [stored, ttlMs] = (await execTransaction(redis.multi().get(key).pttl(key))) as [string | null, number];
  if (stored !== null && ttlMs > 0) return { model: JSON.parse(stored) as UserModel, source: "cache", ttlMs };
  const members = await redis.zrangebyscore(eventKey(userId), nowMs - settings.windowMs, "+inf");
  if (members.length === 0) return undefined;
  const events = members.map((member) => decodeEvent(userId, member));
  const model = buildUserModel(userId, events, nowMs);
  await redis.set(key, JSON.stringify(model), "PX", settings.modelTtlMs);
  return { model, source: "rebuilt", ttlMs: settings.modelTtlMs };
}

function decodeEvent(userId: string, member: string): UserEvent {
  const parsed: unknown = JSON.parse(member);
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new CorruptData(`event member "${member}" of ${eventKey(userId)} is not [ms, type, item]`);
  const [timestampMs, type, itemId] = parsed as [number, string, string];
  return { userId, type, itemId, timestampMs };
}
