import { describe, expect, it } from "vitest";
import { analyzeLoss } from "./loss.js";
import { clientRun, scripted } from "./fixtures.js";

describe("analyzeLoss", () => {
  it("counts acknowledged, lost and surviving writes per outcome", () => {
    const { history, readBack } = scripted([
      ...clientRun(0, 10, 3),
      { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: true },
      { client: 1, seq: 1, invokeAtMs: 2, okAtMs: 3, result: "fail", survives: false },
      { client: 1, seq: 2, invokeAtMs: 4, survives: false },
    ]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.attempted).toBe(13);
    expect(analysis.acknowledged).toBe(10);
    expect(analysis.failed).toBe(1);
    expect(analysis.unknown).toBe(2);
    expect(analysis.lostAcknowledged.map((w) => w.seq)).toEqual([7, 8, 9]);
    expect(analysis.recoveredUnacknowledged.map((w) => `${w.client}:${w.seq}`)).toEqual(["1:0"]);
  });

  it("measures the loss window from the last surviving to the last acknowledged write", () => {
    const { history, readBack } = scripted([...clientRun(0, 100, 40), ...clientRun(1, 100, 10)]);
    // client 0: last ack at 99.5, last surviving ack (seq 59) at 59.5 -> 40 ms
    expect(analyzeLoss(history, readBack).lossWindowMs).toBe(40);
  });

  it("calls a client's window unbounded when it lost every acknowledged write, never the span it wrote for", () => {
    const { history, readBack } = scripted([...clientRun(0, 20, 20, 1000), ...clientRun(1, 20, 5, 1000)]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.lossWindowMs).toBeNull();
    expect(analysis.clientsAllLost).toEqual([0]);
    expect(analysis.writingSpanMs).toBe(19.5);
  });

  it("keeps a bounded window when every client kept something", () => {
    const { history, readBack } = scripted([...clientRun(0, 20, 19), ...clientRun(1, 20, 0)]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.lossWindowMs).toBe(19);
    expect(analysis.clientsAllLost).toEqual([]);
  });

  it("ignores a client that had no write acknowledged when judging total loss", () => {
    const { history, readBack } = scripted([...clientRun(0, 10, 2), { client: 1, seq: 0, invokeAtMs: 3, okAtMs: 4, result: "info", survives: false }]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.lossWindowMs).toBe(2);
    expect(analysis.clientsAllLost).toEqual([]);
  });

  it("tells refused writes that came back from writes of unknown outcome that came back", () => {
    const { history, readBack } = scripted([
      ...clientRun(0, 3),
      { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "fail", survives: true },
      { client: 1, seq: 1, invokeAtMs: 2, okAtMs: 3, result: "info", survives: true },
      { client: 1, seq: 2, invokeAtMs: 4, survives: true },
      { client: 1, seq: 3, invokeAtMs: 5, okAtMs: 6, result: "fail", survives: false },
    ]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.refusedRecovered.map((w) => w.seq)).toEqual([0]);
    expect(analysis.recoveredUnacknowledged.map((w) => w.seq)).toEqual([1, 2]);
  });

  it("reports a gap when a write survives after a lost acknowledged one", () => {
    const writes = clientRun(0, 5);
    writes[2] = { ...writes[2]!, survives: false };
    const { history, readBack } = scripted(writes);
    expect(analyzeLoss(history, readBack).gaps).toEqual([
      { client: 0, lostSeq: 2, survivingSeq: 3 },
      { client: 0, lostSeq: 2, survivingSeq: 4 },
    ]);
  });

  it("tells corrupted values from missing ones", () => {
    const writes = clientRun(0, 3);
    writes[1] = { ...writes[1]!, survives: "corrupted" };
    const { history, readBack } = scripted(writes);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.corrupted.map((w) => [w.seq, w.corruption])).toEqual([[1, "checksum mismatch"]]);
    expect(analysis.lostAcknowledged.map((w) => w.seq)).toEqual([1]);
  });

  it("rejects a history whose completion has no invocation", () => {
    const history = { ops: [{ client: 0, seq: 0, type: "ok" as const, atMs: 1 }], marks: [] };
    expect(() => analyzeLoss(history, { values: new Map(), keysInDatabase: 0 })).toThrow(/without its invocation/);
  });
});
