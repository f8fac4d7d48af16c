import { describe, expect, it } from "vitest";
import { documentedOnlyCheck, notRunCheck } from "./gate-check.js";
import { gateVerdict } from "./gate-verdict.js";

const pass = { fault: "sigkill", outcome: "pass" as const, decidedBy: [] };

describe("a fault the gate did not run is held to its documented bound", () => {
  it("fails the gate when the documented power-loss bound exceeds --max-loss (appendfsync no where fault-fs cannot run)", () => {
    const check = documentedOnlyCheck({ fault: "power-loss", description: "power cut", documented: { maxMs: 30_000, text: "typically up to ~30 s" }, maxLossMs: 0 });
    expect(check).toMatchObject({ outcome: "fail", passed: false, decidedBy: ["documented"] });
    expect(gateVerdict([pass, check], []).passed).toBe(false);
  });

  it("is not applicable, never a pass, when the documented bound is within", () => {
    const check = documentedOnlyCheck({ fault: "power-loss", description: "power cut", documented: { maxMs: 0, text: "nothing acknowledged" }, maxLossMs: 0 });
    expect(check).toMatchObject({ outcome: "not-applicable", passed: false });
    expect(gateVerdict([pass, check], []).passed).toBe(true);
    expect(gateVerdict([check], []).passed).toBe(false);
  });

  it("fails on an unbounded documented case", () => {
    expect(documentedOnlyCheck({ fault: "sigkill", description: "kill", documented: { maxMs: null, text: "everything" }, maxLossMs: 600_000 }).outcome).toBe("fail");
  });
});

describe("a fault the deployment's storage keeps from running is never a pass", () => {
  const input = { fault: "power-loss", description: "power cut", documented: { maxMs: 0, text: "nothing acknowledged" }, maxLossMs: 0, advice: { conf: undefined, explanation: undefined } } as unknown as Parameters<typeof notRunCheck>[0];

  it("fails where the storage loses every file to it by construction, at any bound", () => {
    for (const maxLossMs of [0, 600_000]) {
      const check = notRunCheck({ ...input, maxLossMs }, "the deployment's tmpfs is RAM", true);
      expect(check).toMatchObject({ outcome: "fail", passed: false, decidedBy: ["documented"] });
      expect(check.reasons[0]).toMatch(/not run, the deployment's tmpfs is RAM; judged by what the storage keeps/);
      expect(gateVerdict([pass, check], []).passed).toBe(false);
    }
  });

  it("leaves the gate unfinished, never passed, where the storage cannot be reproduced here", () => {
    const check = notRunCheck(input, "a volume of a kind this gate does not know", false);
    expect(check.outcome).not.toBe("pass");
    expect(check.passed).toBe(false);
    expect(check.reasons).toEqual(["not run here: a volume of a kind this gate does not know"]);
    expect(gateVerdict([pass, check], []).passed).toBe(false);
  });
});
