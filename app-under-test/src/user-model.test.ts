import { describe, expect, it } from "vitest";
import { buildUserModel } from "./user-model.js";

const at = (minute: number) => Date.UTC(2024, 0, 1, 12, minute);
const event = (minute: number, type: string, itemId: string) => ({ userId: "u1", type, itemId, timestampMs: at(minute) });

describe("buildUserModel", () => {
  it("counts events by type and ranks items by count, then by recency", () => {
    const model = buildUserModel("u1", [event(3, "view", "b"), event(1, "view", "a"), event(2, "click", "a"), event(4, "view", "c")], at(10));
    expect(model).toEqual({
      user_id: "u1",
      event_count: 4,
      events_by_type: { view: 3, click: 1 },
      top_items: [
        { item_id: "a", count: 2 },
        { item_id: "c", count: 1 },
        { item_id: "b", count: 1 },
      ],
      first_event_at: "2024-01-01T12:01:00.000Z",
      last_event_at: "2024-01-01T12:04:00.000Z",
      built_at: "2024-01-01T12:10:00.000Z",
    });
  });

  it("keeps the five most frequent items", () => {
    const events = Array.from({ length: 7 }, (_, i) => event(i, "view", `item-${i}`));
    expect(buildUserModel("u1", events, at(10)).top_items).toHaveLength(5);
  });

  it("refuses to build from no events", () => {
    expect(() => buildUserModel("u1", [], at(0))).toThrow(/at least one event for user "u1"/);
  });
});
