import type { UserEvent } from "./validation.js";

/** What GET /users/<id>/model serves: a summary of a user's recent events. Times are ISO strings. */
export interface UserModel {
  user_id: string;
  event_count: number;
  events_by_type: Record<string, number>;
  /** The most frequent items, most frequent first (ties: the most recent first), at most TOP_ITEMS. */
  top_items: { item_id: string; count: number }[];
  first_event_at: string;
  last_event_at: string;
  built_at: string;
}

const TOP_ITEMS = 5;

/** Materializes a user's model from their buffered events (any order). Needs at least one event. Pure. */
export function buildUserModel(userId: string, events: readonly UserEvent[], builtAtMs: number): UserModel {
  if (events.length === 0) throw new Error(`buildUserModel needs at least one event for user "${userId}"`);
  const byType: Record<string, number> = {};
  const items = new Map<string, { count: number; lastMs: number }>();
  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (const event of events) {
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    const item = items.get(event.itemId) ?? { count: 0, lastMs: -Infinity };
    items.set(event.itemId, { count: item.count + 1, lastMs: Math.max(item.lastMs, event.timestampMs) });
    firstMs = Math.min(firstMs, event.timestampMs);
    lastMs = Math.max(lastMs, event.timestampMs);
  }
  const topItems = [...items.entries()]
    .sort(([, a], [, b]) => b.count - a.count || b.lastMs - a.lastMs)
    .slice(0, TOP_ITEMS)
    .map(([itemId, { count }]) => ({ item_id: itemId, count }));
  return {
    user_id: userId,
    event_count: events.length,
    events_by_type: byType,
    top_items: topItems,
    first_event_at: new Date(firstMs).toISOString(),
    last_event_at: new Date(lastMs).toISOString(),
    built_at: new Date(builtAtMs).toISOString(),
  };
}
