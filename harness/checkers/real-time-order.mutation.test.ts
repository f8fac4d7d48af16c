import { describe, expect, it } from "vitest";
import type { WriteOutcome } from "./loss.js";
import { realTimeOrderViolations } from "./real-time-order.js";

const w = (client: number, seq: number, invokeAtMs: number, completedAtMs: number | undefined, found: WriteOutcome["found"], result: WriteOutcome["result"] = "ok"): WriteOutcome => ({
  client,
  seq,
  invokeAtMs,
  ...(completedAtMs === undefined ? {} : { completedAtMs }),
  result,
  found,
});
const pairs = (writes: WriteOutcome[]) => realTimeOrderViolations(writes).map((v) => `${v.lost.client}:${v.lost.seq}<${v.survivor.client}:${v.survivor.seq}`);

describe("realTimeOrderViolations on hand-written outcomes", () => {
  it("finds the survivor whatever order the writes come in", () => {
    // Survivors listed latest-invoked first: the search must sort them by invocation.
    const writes = [w(3, 0, 90, 91, "intact"), w(2, 0, 50, 51, "intact"), w(1, 0, 30, 31, "intact"), w(0, 0, 10, 20, "missing")];
    expect(pairs(writes)).toEqual(["0:0<1:0"]);
  });

  it("names the earliest-invoked survivor after the acknowledgement among many", () => {
    const survivors = Array.from({ length: 9 }, (_, i) => w(1, i, 100 - i * 10, 101 - i * 10, "intact"));
    // Acknowledged at 45: the survivors invoked after it are at 50, 60, ..., 100; the earliest is seq 5 (invoked at 50).
    expect(pairs([...survivors, w(0, 0, 0, 45, "missing")])).toEqual(["0:0<1:5"]);
    // Acknowledged at 95: only the survivor invoked at 100 (seq 0) came after.
    expect(pairs([...survivors, w(0, 0, 0, 95, "missing")])).toEqual(["0:0<1:0"]);
  });

  it("does not count a survivor invoked at the very moment of the acknowledgement: they overlapped", () => {
    expect(pairs([w(0, 0, 0, 10, "missing"), w(1, 0, 10, 11, "intact")])).toEqual([]);
    expect(pairs([w(0, 0, 0, 10, "missing"), w(1, 0, 10.001, 11, "intact")])).toEqual(["0:0<1:0"]);
  });

  it("skips a survivor invoked at the very moment of the acknowledgement for a later one", () => {
    expect(pairs([w(0, 0, 0, 10, "missing"), w(1, 0, 10, 11, "intact"), w(2, 0, 20, 21, "intact")])).toEqual(["0:0<2:0"]);
  });

  it("lists the violations by when the lost write was acknowledged", () => {
    const writes = [w(0, 0, 0, 30, "missing"), w(1, 0, 1, 10, "missing"), w(2, 0, 2, 20, "corrupted"), w(3, 0, 40, 41, "intact")];
    expect(pairs(writes)).toEqual(["1:0<3:0", "2:0<3:0", "0:0<3:0"]);
  });

  it("treats a corrupted acknowledged write as lost, and ignores refused and unknown writes that were lost", () => {
    const writes = [w(0, 0, 0, 1, "corrupted"), w(1, 0, 0, 1, "missing", "fail"), w(2, 0, 0, 1, "missing", "info"), w(3, 0, 0, undefined, "missing", "pending"), w(4, 0, 5, 6, "intact")];
    expect(pairs(writes)).toEqual(["0:0<4:0"]);
  });

  it("counts a refused write that survived as a survivor", () => {
    expect(pairs([w(0, 0, 0, 1, "missing"), w(1, 0, 2, 3, "intact", "fail")])).toEqual(["0:0<1:0"]);
  });

  it("returns the write objects themselves as evidence", () => {
    const lost = w(0, 0, 0, 1, "missing");
    const survivor = w(1, 0, 2, 3, "intact");
    expect(realTimeOrderViolations([lost, survivor])).toEqual([{ lost, survivor }]);
  });
});
