import { describe, expect, it } from "vitest";
import { statusRuns } from "./health-poller.js";
import { ServiceHistory } from "./service-history.js";

const clock = (() => {
  let now = 0;
  return { nowMs: () => (now += 1) };
})();

describe("ServiceHistory", () => {
  it("records 2xx as ok, 4xx as fail, 5xx, 3xx and no answer as info (the write may have landed)", async () => {
    const history = new ServiceHistory(clock);
    const point = { kind: "point" as const, seriesId: "s", timestampMs: 0, value: 1 };
    for (const status of [200, 400, 503, 201, 302]) await history.record("user", point, async () => ({ status, body: {}, latencyMs: 1 }));
    await history.record("user", point, () => Promise.reject(new Error("socket hang up")));
    const completions = history.history().ops.filter((op) => op.type !== "invoke");
    expect(completions.map((op) => [op.seq, op.type])).toEqual([
      [0, "ok"],
      [1, "fail"],
      [2, "info"],
      [3, "ok"],
      [4, "info"],
      [5, "info"],
    ]);
    expect(history.answers().map((a) => a.status)).toEqual([200, 400, 503, 201, 302, 0]);
  });

  it("keeps one client per stream and remembers the model a rebuild answered with", async () => {
    const history = new ServiceHistory(clock);
    await history.record("a", { kind: "model", userId: "u" }, async () => ({ status: 200, body: { built_at: "2024-01-01T00:00:00.000Z" }, latencyMs: 1 }));
    await history.record("b", { kind: "event", userId: "u", type: "view", itemId: "i", timestampMs: 0 }, async () => ({ status: 200, body: {}, latencyMs: 1 }));
    expect([...history.writes().entries()]).toEqual([
      ["0:0", { kind: "model", userId: "u", builtAt: "2024-01-01T00:00:00.000Z" }],
      ["1:0", { kind: "event", userId: "u", type: "view", itemId: "i", timestampMs: 0 }],
    ]);
  });
});

describe("statusRuns", () => {
  it("collapses repeats", () => {
    expect(statusRuns([200, 200, 503, 503, 0, 200].map((status) => ({ atMs: 0, status, latencyMs: 0 })))).toEqual([200, 503, 0, 200]);
  });
});
