import type { Redis } from "ioredis";
import { encodeEvent, eventKey, modelKey } from "../../app-under-test/src/event-store.js";
import type { Point } from "../../app-under-test/src/model.js";
import { decodePoint, encodePoint, seriesKey } from "../../app-under-test/src/series-store.js";
import type { ReadBack } from "../workload/readback.js";
import { encodeRecord } from "../workload/record.js";
import type { ServiceHistory, ServiceWrite } from "./service-history.js";

/** What Redis holds for a ServiceHistory's series and users, read back without changing anything. */
export interface ServiceReadBack extends ReadBack {
  /** Every point of each series written to, oldest first, whoever wrote it. */
  series: Map<string, Point[]>;
  /** How many events each user's buffer holds. */
  eventCounts: Map<string, number>;
  /** The built_at of each user's stored model, or null when there is none. */
  models: Map<string, string | null>;
}

/**
 * Reads back every series, event buffer and model the history wrote to, and maps each write to a
 * harness record: found writes get a valid record, missing ones null, a model rebuilt by someone
 * else a corrupt one. `keysInDatabase` counts the members of those keys (plus stored models), so
 * a member nobody acknowledged shows up as an unexpected key.
 */
export async function readBackService(redis: Redis, history: ServiceHistory): Promise<ServiceReadBack> {
  const writes = [...history.writes().entries()];
  const seriesIds = unique(writes.flatMap(([, w]) => (w.kind === "point" ? [w.seriesId] : [])));
  const eventUsers = unique(writes.flatMap(([, w]) => (w.kind === "event" ? [w.userId] : [])));
  const modelUsers = unique(writes.flatMap(([, w]) => (w.kind === "model" ? [w.userId] : [])));

  const seriesMembers = new Map<string, Set<string>>();
  for (const id of seriesIds) seriesMembers.set(id, new Set(await redis.zrange(seriesKey(id), "0", "-1")));
  const eventMembers = new Map<string, Set<string>>();
  for (const user of eventUsers) eventMembers.set(user, new Set(await redis.zrange(eventKey(user), "0", "-1")));
  const models = new Map<string, string | null>();
  for (const user of modelUsers) {
    const stored = await redis.get(modelKey(user));
    models.set(user, stored === null ? null : String((JSON.parse(stored) as { built_at?: unknown }).built_at));
  }

  const values = new Map<string, string | null>();
  for (const [id, write] of writes) {
    const [client, seq] = id.split(":").map(Number) as [number, number];
    const found = foundAs(write, seriesMembers, eventMembers, models);
    values.set(id, found === "missing" ? null : found === "intact" ? encodeRecord({ client, seq }, 0) : `rebuilt by another request|0`);
  }
  let keysInDatabase = 0;
  for (const members of [...seriesMembers.values(), ...eventMembers.values()]) keysInDatabase += members.size;
  for (const builtAt of models.values()) if (builtAt !== null) keysInDatabase++;

  const series = new Map([...seriesMembers].map(([id, members]) => [id, [...members].map(decodePoint).sort((a, b) => a.timestampMs - b.timestampMs)]));
  const eventCounts = new Map([...eventMembers].map(([user, members]) => [user, members.size]));
  return { values, keysInDatabase, series, eventCounts, models };
}

function foundAs(
  write: ServiceWrite,
  seriesMembers: Map<string, Set<string>>,
  eventMembers: Map<string, Set<string>>,
  models: Map<string, string | null>,
): "intact" | "missing" | "corrupted" {
  switch (write.kind) {
    case "point":
      return seriesMembers.get(write.seriesId)?.has(encodePoint(write)) ? "intact" : "missing";
    case "event":
      return eventMembers.get(write.userId)?.has(encodeEvent(write)) ? "intact" : "missing";
    case "model": {
      const builtAt = models.get(write.userId) ?? null;
      if (builtAt === null) return "missing";
      // An unanswered rebuild does not know its built_at: whatever model is there may be its.
      return write.builtAt === undefined || write.builtAt === builtAt ? "intact" : "corrupted";
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
