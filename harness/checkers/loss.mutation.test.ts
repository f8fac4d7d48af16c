import { describe, expect, it } from "vitest";
import type { History, Op } from "../workload/history.js";
import { encodeRecord } from "../workload/record.js";
import { clientRun, scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { analyzeLoss } from "./loss.js";

const analysisOf = (writes: ScriptedWrite[], extraKeys = 0) => {
  const { history, readBack } = scripted(writes, [], extraKeys);
  return analyzeLoss(history, readBack);
};

describe("analyzeLoss: the figures", () => {
  it("counts every outcome once: acknowledged, refused, unknown (answered info or never answered), survived", () => {
    const analysis = analysisOf([
      ...clientRun(0, 4, 1),
      { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "fail", survives: false },
      { client: 1, seq: 1, invokeAtMs: 2, okAtMs: 3, result: "fail", survives: true },
      { client: 1, seq: 2, invokeAtMs: 4, okAtMs: 5, result: "info", survives: false },
      { client: 1, seq: 3, invokeAtMs: 6, survives: true },
      { client: 1, seq: 4, invokeAtMs: 7, survives: "corrupted" },
    ]);
    expect(analysis).toMatchObject({ attempted: 9, acknowledged: 4, failed: 2, unknown: 3, survived: 5, keysInDatabase: 6 });
    expect(analysis.lostAcknowledged.map((w) => `${w.client}:${w.seq}`)).toEqual(["0:3"]);
    expect(analysis.refusedRecovered.map((w) => `${w.client}:${w.seq}`)).toEqual(["1:1"]);
    expect(analysis.recoveredUnacknowledged.map((w) => `${w.client}:${w.seq}`)).toEqual(["1:3"]);
    expect(analysis.corrupted.map((w) => `${w.client}:${w.seq}`)).toEqual(["1:4"]);
  });

  it("keeps each write's outcome: result, completion time, what was found", () => {
    const analysis = analysisOf([
      { client: 0, seq: 0, invokeAtMs: 1, okAtMs: 2.5, survives: true },
      { client: 0, seq: 1, invokeAtMs: 3, survives: false },
    ]);
    expect(analysis.writes).toEqual([
      { client: 0, seq: 0, invokeAtMs: 1, completedAtMs: 2.5, result: "ok", found: "intact" },
      { client: 0, seq: 1, invokeAtMs: 3, result: "pending", found: "missing" },
    ]);
  });

  it("calls a record missing when the read-back has no entry for its key at all", () => {
    const history: History = {
      ops: [
        { client: 0, seq: 0, type: "invoke", atMs: 0 },
        { client: 0, seq: 0, type: "ok", atMs: 1 },
        { client: 0, seq: 1, type: "invoke", atMs: 2 },
        { client: 0, seq: 1, type: "ok", atMs: 3 },
      ],
      marks: [],
    };
    const analysis = analyzeLoss(history, { values: new Map([["0:0", encodeRecord({ client: 0, seq: 0 }, 16)]]), keysInDatabase: 1 });
    expect(analysis.writes.map((w) => w.found)).toEqual(["intact", "missing"]);
    expect(analysis.lostAcknowledged.map((w) => w.seq)).toEqual([1]);
  });

  it("calls a record holding another record's value corrupted, and says whose", () => {
    const history: History = {
      ops: [
        { client: 0, seq: 0, type: "invoke", atMs: 0 },
        { client: 0, seq: 0, type: "ok", atMs: 1 },
      ],
      marks: [],
    };
    const analysis = analyzeLoss(history, { values: new Map([["0:0", encodeRecord({ client: 3, seq: 7 }, 16)]]), keysInDatabase: 1 });
    expect(analysis.corrupted.map((w) => w.corruption)).toEqual(["holds record 3:7"]);
  });
});

describe("analyzeLoss: gaps", () => {
  it("names the first lost acknowledged write of the client for every later survivor", () => {
    const writes = clientRun(0, 6).map((w) => (w.seq === 1 || w.seq === 2 ? { ...w, survives: false } : w));
    expect(analysisOf(writes).gaps).toEqual([
      { client: 0, lostSeq: 1, survivingSeq: 3 },
      { client: 0, lostSeq: 1, survivingSeq: 4 },
      { client: 0, lostSeq: 1, survivingSeq: 5 },
    ]);
  });

  it("judges a client's writes in seq order, whatever order the history invoked them in", () => {
    // seq 1 is invoked before seq 0; seq 0 is lost, seq 1 survives: a gap, in seq order.
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 1, invokeAtMs: 0, okAtMs: 1, survives: true },
      { client: 0, seq: 0, invokeAtMs: 2, okAtMs: 3, survives: false },
    ];
    expect(analysisOf(writes).gaps).toEqual([{ client: 0, lostSeq: 0, survivingSeq: 1 }]);
  });

  it("does not call a lost unacknowledged write, nor a corrupted survivor, part of a gap", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: false },
      { client: 0, seq: 1, invokeAtMs: 2, okAtMs: 3, survives: true },
      { client: 0, seq: 2, invokeAtMs: 4, okAtMs: 5, survives: false },
      { client: 0, seq: 3, invokeAtMs: 6, okAtMs: 7, result: "info", survives: "corrupted" },
    ];
    expect(analysisOf(writes).gaps).toEqual([]);
  });

  it("keeps gaps apart per client", () => {
    const writes = [...clientRun(0, 3), ...clientRun(1, 3).map((w) => (w.seq === 0 ? { ...w, survives: false } : w))];
    expect(analysisOf(writes).gaps).toEqual([
      { client: 1, lostSeq: 0, survivingSeq: 1 },
      { client: 1, lostSeq: 0, survivingSeq: 2 },
    ]);
  });
});

describe("analyzeLoss: the loss window", () => {
  it("takes the largest window over the clients, whichever comes first", () => {
    expect(analysisOf([...clientRun(0, 100, 10), ...clientRun(1, 100, 40)]).lossWindowMs).toBe(40);
    expect(analysisOf([...clientRun(0, 100, 40), ...clientRun(1, 100, 10)]).lossWindowMs).toBe(40);
  });

  it("stays unbounded when a later client kept its writes", () => {
    const analysis = analysisOf([...clientRun(0, 10, 10), ...clientRun(1, 10, 2), ...clientRun(2, 10, 0)]);
    expect(analysis.lossWindowMs).toBeNull();
    expect(analysis.clientsAllLost).toEqual([0]);
  });

  it("becomes unbounded when a later client lost every write", () => {
    const analysis = analysisOf([...clientRun(0, 10, 2), ...clientRun(1, 10, 10)]);
    expect(analysis.lossWindowMs).toBeNull();
    expect(analysis.clientsAllLost).toEqual([1]);
  });

  it("lists the clients that lost everything in ascending order", () => {
    // Client 7 writes first, then 2, then 5: the history's order is not the list's.
    const writes = [...clientRun(7, 5, 5, 0), ...clientRun(2, 5, 5, 100), ...clientRun(4, 5, 0, 150), ...clientRun(5, 5, 5, 200)];
    expect(analysisOf(writes).clientsAllLost).toEqual([2, 5, 7]);
  });

  it("measures the window by completion time from the last surviving acknowledged write", () => {
    // Acknowledged at 10, 30, 70; the last survives only up to the one at 30: 40 ms.
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 10, survives: true },
      { client: 0, seq: 1, invokeAtMs: 20, okAtMs: 30, survives: true },
      { client: 0, seq: 2, invokeAtMs: 40, okAtMs: 70, survives: false },
    ];
    expect(analysisOf(writes).lossWindowMs).toBe(40);
  });

  it("ignores unacknowledged writes on both ends of the window", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 10, survives: true },
      { client: 0, seq: 1, invokeAtMs: 20, okAtMs: 30, result: "info", survives: true },
      { client: 0, seq: 2, invokeAtMs: 40, okAtMs: 50, survives: false },
      { client: 0, seq: 3, invokeAtMs: 60, okAtMs: 90, result: "fail", survives: false },
    ];
    expect(analysisOf(writes).lossWindowMs).toBe(40);
  });

  it("never gives a negative window, even when a later seq was acknowledged before the survivor", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 50, survives: true },
      { client: 0, seq: 1, invokeAtMs: 1, okAtMs: 20, survives: false },
    ];
    expect(analysisOf(writes).lossWindowMs).toBe(0);
  });

  it("is 0 when nothing was lost, and when nothing was acknowledged", () => {
    expect(analysisOf(clientRun(0, 10)).lossWindowMs).toBe(0);
    expect(analysisOf([{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: false }]).lossWindowMs).toBe(0);
  });
});

describe("analyzeLoss: the writing span", () => {
  it("runs from the first invocation of any write to the last acknowledgement", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 5, okAtMs: 6, result: "info", survives: false },
      { client: 1, seq: 0, invokeAtMs: 10, okAtMs: 40, survives: true },
      { client: 2, seq: 0, invokeAtMs: 12, okAtMs: 30, survives: true },
      // A refused write answered late does not stretch the span.
      { client: 3, seq: 0, invokeAtMs: 15, okAtMs: 500, result: "fail", survives: false },
    ];
    expect(analysisOf(writes).writingSpanMs).toBe(35);
  });

  it("is 0 with nothing acknowledged, or nothing at all", () => {
    expect(analysisOf([{ client: 0, seq: 0, invokeAtMs: 5, okAtMs: 6, result: "info", survives: false }]).writingSpanMs).toBe(0);
    expect(analysisOf([]).writingSpanMs).toBe(0);
    expect(analyzeLoss({ ops: [] as Op[], marks: [] }, { values: new Map(), keysInDatabase: 0 })).toMatchObject({ attempted: 0, writingSpanMs: 0, lossWindowMs: 0, clientsAllLost: [] });
  });
});
