import { describe, expect, it } from "vitest";
import { documentedBoundFor } from "./documented-bound.js";
import type { DeploymentFacts } from "./documented-bound.js";
import type { ConfExplanation } from "./explain-conf.js";

const onVolume: DeploymentFacts = { shutdownOutlastsGrace: false, dirOnVolume: true, dir: "/data" };
const explanation: ConfExplanation = {
  mode: "rdb",
  snapshots: true,
  summary: "s",
  processCrash: { maxMs: 1_000, text: "since the last snapshot", plusSaves: 2 },
  powerLoss: { maxMs: 30_000, text: "what the OS had not written back" },
  cleanStop: { maxMs: 0, text: "nothing" },
};

describe("documentedBoundFor: measured saves and the power cut", () => {
  it("adds plusSaves measured save durations to a snapshot bound and says what a save took", () => {
    expect(documentedBoundFor("sigkill", explanation, { ...onVolume, saveMs: 300.4 })).toEqual({
      maxMs: 1_000 + 2 * 300.4,
      text: "since the last snapshot; a save of this dataset took 300 ms here",
    });
  });

  it("takes a power cut's bound from powerLoss, not from the process crash", () => {
    expect(documentedBoundFor("power-loss", explanation, onVolume)).toEqual(explanation.powerLoss);
  });
});
