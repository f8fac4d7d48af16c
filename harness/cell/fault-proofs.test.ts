import { describe, expect, it } from "vitest";
import type { Verdict } from "../checkers/verdict.js";
import { withFaultProofs } from "./fault-proofs.js";

const verdict = (valid: Verdict["valid"]): Verdict => ({
  valid,
  contract: { kind: "none-lost" },
  reasons: valid === true ? [] : ["a reason"],
  figures: { attempted: 1, acknowledged: 1, lostAcknowledged: 0, recoveredUnacknowledged: 0, refusedRecovered: 0, gaps: 0, orderViolations: 0, corrupted: 0, lossWindowMs: 0, allLost: false, clientsAllLost: 0, keysInDatabase: 1 },
  evidence: [],
});
const held = { claim: "it bit", held: true, seen: "exit code 137" };
const notHeld = { claim: "it bit", held: false, seen: "exit code 0" };

describe("withFaultProofs", () => {
  it("keeps a valid verdict whose fault proved it bit", () => {
    expect(withFaultProofs(verdict(true), [held], []).valid).toBe(true);
  });

  it("makes a valid verdict unknown when the fault could not prove it bit, and says why", () => {
    const result = withFaultProofs(verdict(true), [held, notHeld], []);
    expect(result.valid).toBe("unknown");
    expect(result.reasons).toEqual(["the fault did not prove it bit: it bit; seen: exit code 0"]);
  });

  it("keeps a broken contract broken", () => {
    expect(withFaultProofs(verdict(false), [notHeld], ["nothing to do"]).valid).toBe(false);
  });

  it("marks a cell not applicable, never valid", () => {
    const result = withFaultProofs(verdict(true), [], ["no final save"]);
    expect(result.valid).toBe("not-applicable");
    expect(result.reasons).toEqual(["not applicable: no final save"]);
  });
});
