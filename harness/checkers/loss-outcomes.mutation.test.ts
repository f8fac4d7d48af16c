import { describe, expect, it } from "vitest";
import { scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { FAULT_MARK, analyzeLoss } from "./loss.js";

// Survivors of a mutation run with two runners and no type checker (the same mutants had "timed
// out" on a loaded machine, which Stryker counts as detected): only acknowledged writes may
// decide a window, the quiet before the fault and the writing span, and only the fault's mark
// is the fault.

const fault = (atMs: number) => ({ name: FAULT_MARK, invokeAtMs: atMs, okAtMs: atMs });

describe("analyzeLoss: only acknowledged writes decide the times", () => {
  it("a later write of unknown outcome that survived does not shorten the window of a lost acknowledged one", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 100, survives: true },
      { client: 0, seq: 1, invokeAtMs: 150, okAtMs: 200, survives: false },
      { client: 0, seq: 2, invokeAtMs: 250, okAtMs: 300, result: "info", survives: true },
    ];
    const { history, readBack } = scripted(writes);
    expect(analyzeLoss(history, readBack).lossWindowMs).toBe(100);
  });

  it("a write answered with an error after the last acknowledgement does not end the quiet before the fault", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 200, survives: true },
      { client: 0, seq: 1, invokeAtMs: 300, okAtMs: 900, result: "fail", survives: false },
    ];
    const { history, readBack } = scripted(writes, [fault(1_000)]);
    expect(analyzeLoss(history, readBack).quietBeforeFaultMs).toBe(800);
  });

  it("the writing span ends at the last acknowledgement, not at a later unknown outcome", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 100, survives: true },
      { client: 0, seq: 1, invokeAtMs: 150, okAtMs: 200, survives: true },
      { client: 0, seq: 2, invokeAtMs: 250, okAtMs: 5_000, result: "info", survives: false },
    ];
    const { history, readBack } = scripted(writes);
    expect(analyzeLoss(history, readBack).writingSpanMs).toBe(200);
  });

  it("the fault's time is its own mark's, not an earlier mark of another name", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 100, survives: true },
      { client: 0, seq: 1, invokeAtMs: 150, okAtMs: 200, survives: false },
    ];
    const { history, readBack } = scripted(writes, [{ name: "snapshot", invokeAtMs: 50, okAtMs: 60 }, fault(1_000)]);
    const analysis = analyzeLoss(history, readBack);
    expect(analysis.quietBeforeFaultMs).toBe(800);
    expect(analysis.lossWindowMs).toBe(900);
  });
});
