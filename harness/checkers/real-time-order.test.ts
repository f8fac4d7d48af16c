import { describe, expect, it } from "vitest";
import { analyzeLoss } from "./loss.js";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";

const orderOf = (writes: ScriptedWrite[]) => {
  const { history, readBack } = scripted(writes);
  return analyzeLoss(history, readBack).orderViolations.map((v) => `${v.lost.client}:${v.lost.seq}<${v.survivor.client}:${v.survivor.seq}`);
};

describe("real-time order across clients", () => {
  it("flags a lost write of one client acknowledged before a surviving write of another was invoked", () => {
    // A (client 0) acked at 10; B (client 1) invoked at 11 survives; A lost.
    expect(
      orderOf([
        { client: 0, seq: 0, invokeAtMs: 5, okAtMs: 10, survives: false },
        { client: 1, seq: 0, invokeAtMs: 11, okAtMs: 12, survives: true },
      ]),
    ).toEqual(["0:0<1:0"]);
  });

  it("allows it when the writes overlapped (B invoked before A was acknowledged)", () => {
    expect(
      orderOf([
        { client: 0, seq: 0, invokeAtMs: 5, okAtMs: 10, survives: false },
        { client: 1, seq: 0, invokeAtMs: 9, okAtMs: 12, survives: true },
      ]),
    ).toEqual([]);
  });

  it("allows losing a suffix in real time, whatever the clients", () => {
    expect(
      orderOf([
        { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: true },
        { client: 1, seq: 0, invokeAtMs: 2, okAtMs: 3, survives: true },
        { client: 0, seq: 1, invokeAtMs: 4, okAtMs: 5, survives: false },
        { client: 1, seq: 1, invokeAtMs: 6, okAtMs: 7, survives: false },
      ]),
    ).toEqual([]);
  });

  it("counts a surviving write of unknown outcome as a survivor, and does not count a lost unacknowledged write", () => {
    expect(
      orderOf([
        { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: false },
        { client: 1, seq: 0, invokeAtMs: 2, okAtMs: 3, result: "info", survives: true },
        { client: 2, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: false },
      ]),
    ).toEqual(["0:0<1:0"]);
  });

  it("names the earliest-invoked survivor after the acknowledgement as the evidence, one violation per lost write", () => {
    expect(
      orderOf([
        { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: false },
        { client: 0, seq: 1, invokeAtMs: 1, okAtMs: 2, survives: false },
        { client: 1, seq: 0, invokeAtMs: 3, okAtMs: 4, survives: true },
        { client: 2, seq: 0, invokeAtMs: 1.5, okAtMs: 4, survives: true },
      ]),
    ).toEqual(["0:0<2:0", "0:1<1:0"]);
  });

  it("finds nothing when nothing survived", () => {
    expect(orderOf([{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: false }])).toEqual([]);
  });
});
