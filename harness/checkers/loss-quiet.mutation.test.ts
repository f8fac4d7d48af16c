import { describe, expect, it } from "vitest";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";

const fault = (atMs: number) => [{ name: FAULT_MARK, invokeAtMs: atMs, okAtMs: atMs + 10 }];
const analysisOf = (writes: ScriptedWrite[], faultAtMs: number) => {
  const { history, readBack } = scripted(writes, fault(faultAtMs));
  return analyzeLoss(history, readBack);
};

describe("analyzeLoss: how quiet the writers were before the fault", () => {
  it("measures from the last acknowledgement, not from a later refused or unanswered write", () => {
    const analysis = analysisOf(
      [
        { client: 0, seq: 0, invokeAtMs: 90, okAtMs: 100, survives: true },
        { client: 0, seq: 1, invokeAtMs: 1_800, okAtMs: 1_900, result: "fail", survives: false },
        { client: 1, seq: 0, invokeAtMs: 1_850, okAtMs: 1_950, result: "info", survives: false },
      ],
      2_000,
    );
    expect(analysis.quietBeforeFaultMs).toBe(1_900);
  });

  it("is 0, not unbounded, when no write was acknowledged at all", () => {
    const analysis = analysisOf(
      [
        { client: 0, seq: 0, invokeAtMs: 10, okAtMs: 20, result: "fail", survives: false },
        { client: 0, seq: 1, invokeAtMs: 30, survives: false },
      ],
      2_000,
    );
    expect(analysis.quietBeforeFaultMs).toBe(0);
  });
});
