import type { Redis } from "ioredis";
import type { Point } from "./model.js";
import { CorruptData } from "./redis-errors.js";
import { execTransaction } from "./transaction.js";

/** The sorted set holding a series: score = epoch ms, member = `<epochMs>:<value>`. */
export function seriesKey(seriesId: string): string {
  return `ts:${seriesId}`;
}

/**
 * The member of one point. The point itself is the member, so sending the same point twice stores
 * it once (ZADD only updates the identical member's identical score); a second value at the same
 * timestamp is a second point.
 */
export function encodePoint(point: Point): string {
  return `${point.timestampMs}:${point.value}`;
}

/** The point a member holds; throws naming the member when it is not one of ours. */
export function decodePoint(member: string): Point {
  const cut = member.indexOf(":", 1);
  const timestampMs = Number(member.slice(0, cut));
  const value = Number(member.slice(cut + 1));
  if (cut < 0 || !Number.isFinite(timestampMs) || !Number.isFinite(value)) throw new CorruptData(`sorted-set member "${member}" is not <epochMs>:<value>`);
  return { timestampMs, value };
}

/**
 * Stores `points` with one ZADD and reads back the `limit` most recent points (oldest first), in one
 * MULTI/EXEC: the write is all-or-nothing and resolves only once Redis has replied to it.
 */
export async function storeAndReadSeries(redis: Redis, seriesId: string, points: readonly Point[], limit: number): Promise<Point[]> {
  const key = seriesKey(seriesId);
  const transaction = redis.multi();
  if (points.length > 0) transaction.zadd(key, ...points.flatMap((p) => [String(p.timestampMs), encodePoint(p)]));
  transaction.zrange(key, String(-limit), "-1");
  const replies = await execTransaction(transaction);
  const members = replies.at(-1) as string[];
  return members.map(decodePoint);
}
