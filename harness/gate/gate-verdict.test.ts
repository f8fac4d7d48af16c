import { describe, expect, it } from "vitest";
import type { CellResult } from "../cell/run-cell.js";
import { checkContract } from "../checkers/check-contract.js";
import { clientRun, scripted } from "../checkers/fixtures.js";
import type { ScriptedWrite } from "../checkers/fixtures.js";
import { analyzeLoss } from "../checkers/loss.js";
import type { Validity } from "../checkers/verdict.js";
import { documentedBoundFor } from "./documented-bound.js";
import type { DeploymentFacts } from "./documented-bound.js";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import type { LossBound } from "./explain-conf.js";
import { gateCheckOf } from "./gate-check.js";
import { gateVerdict, judgeCheck } from "./gate-verdict.js";
import { findHazards } from "./hazards.js";
import { parseConf } from "./parse-conf.js";
import { renderGateCheck } from "./render-gate-check.js";
import { contractForMaxLoss } from "./run-gate.js";

const read = (text: string) => {
  const conf = effectiveConf(parseConf(text));
  return { conf, explanation: explainConf(conf) };
};
const onVolume: DeploymentFacts = { shutdownOutlastsGrace: false, dirOnVolume: true, dir: "/data" };
const NOTHING: LossBound = { maxMs: 0, text: "nothing acknowledged" };

describe("judgeCheck: both the documented worst case and the measurement must be within the bound", () => {
  it.each<[string, LossBound, Validity, number, string, string[]]>([
    ["both within", NOTHING, true, 0, "pass", ["documented", "measured"]],
    ["a lucky run under a looser documented bound", { maxMs: 30_000, text: "~30 s" }, true, 0, "fail", ["documented"]],
    ["an unbounded documented case, whatever the bound", { maxMs: null, text: "everything" }, true, 600_000, "fail", ["documented"]],
    ["a measured breach", NOTHING, false, 0, "fail", ["measured"]],
    ["a run that could not tell", NOTHING, "unknown", 0, "fail", ["measured"]],
    ["both broken", { maxMs: 2_000, text: "2 s" }, false, 1_000, "fail", ["documented", "measured"]],
    ["not applicable, documented within", NOTHING, "not-applicable", 0, "not-applicable", []],
    ["not applicable, documented over", { maxMs: 2_000, text: "2 s" }, "not-applicable", 0, "fail", ["documented"]],
  ])("%s", (_name, documented, validity, maxLossMs, outcome, decidedBy) => {
    expect(judgeCheck(documented, validity, maxLossMs)).toMatchObject({ outcome, decidedBy });
  });
});

describe("gateVerdict", () => {
  const pass = { fault: "sigkill", outcome: "pass" as const, decidedBy: [] };
  it("fails on a hazard that defeats the bound even when every check passed", () => {
    const { conf, explanation } = read('save ""\nappendonly yes\nappendfsync no\ndir /tmp\n');
    const verdict = gateVerdict([pass], findHazards(conf, explanation));
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual([expect.stringMatching(/^line 4: `dir \/tmp` is not \/data/)]);
  });

  it("passes with only warnings, and not when nothing applied", () => {
    const { conf, explanation } = read('save ""\nappendonly yes\nappendfsync no\ndir /data\n');
    expect(gateVerdict([pass], findHazards(conf, explanation))).toEqual({ passed: true, reasons: [] });
    expect(gateVerdict([pass, { fault: "short-grace", outcome: "not-applicable", decidedBy: [] }], []).passed).toBe(true);
    expect(gateVerdict([{ fault: "short-grace", outcome: "not-applicable", decidedBy: [] }], []).passed).toBe(false);
  });

  it("names each failing check and what decided it", () => {
    expect(gateVerdict([pass, { fault: "power-loss", outcome: "fail", decidedBy: ["documented"] }], []).reasons).toEqual(["power-loss broke the bound (documented)"]);
  });
});

describe("documentedBoundFor", () => {
  const aofNo = read('save ""\nappendonly yes\nappendfsync no\n').explanation;
  const rdb = read("save 900 1\nappendonly no\n").explanation;
  it("holds a power cut to powerLoss and a kill to processCrash", () => {
    expect(documentedBoundFor("power-loss", aofNo, onVolume).maxMs).toBe(30_000);
    expect(documentedBoundFor("sigkill", aofNo, onVolume).maxMs).toBe(0);
    expect(documentedBoundFor("sigkill", rdb, onVolume).maxMs).toBe(901_000);
  });

  it("adds two measured BGSAVE durations to a snapshot bound: `save 1 1` with 1.5 s saves is not within 3 s", () => {
    const saveEverySecond = read("save 1 1\nappendonly no\n").explanation;
    const bound = documentedBoundFor("sigkill", saveEverySecond, { ...onVolume, saveMs: 1_500 });
    expect(bound).toMatchObject({ maxMs: 5_000, text: expect.stringMatching(/two BGSAVE durations.*a save of this dataset took 1500 ms here/) });
    expect(bound.plusSaves).toBeUndefined();
    expect(judgeCheck(bound, true, 3_000).outcome).toBe("fail");
    expect(documentedBoundFor("power-loss", saveEverySecond, { ...onVolume, saveMs: 1_500 }).maxMs).toBe(5_000);
    expect(documentedBoundFor("sigkill", aofNo, { ...onVolume, saveMs: 1_500 }).maxMs).toBe(0);
  });

  it("holds a stop to the final save, unless the grace cuts it short", () => {
    expect(documentedBoundFor("graceful-stop", rdb, onVolume).maxMs).toBe(0);
    expect(documentedBoundFor("graceful-stop", rdb, { ...onVolume, shutdownOutlastsGrace: true })).toMatchObject({ maxMs: 901_000, text: expect.stringMatching(/outlasts the grace/) });
    expect(documentedBoundFor("graceful-stop", read("save 900 1\nshutdown-on-sigterm nosave\n").explanation, onVolume).maxMs).toBe(901_000);
    expect(documentedBoundFor("graceful-stop", read('save ""\n').explanation, onVolume).maxMs).toBeNull();
  });

  it("loses everything on a new container without the files", () => {
    expect(documentedBoundFor("recreate-without-volume", aofNo, onVolume).maxMs).toBeNull();
    expect(documentedBoundFor("recreate-same-volume", aofNo, { ...onVolume, dirOnVolume: false, dir: "/tmp" })).toMatchObject({ maxMs: null, text: expect.stringMatching(/`dir \/tmp` is not on the volume/) });
    expect(documentedBoundFor("recreate-same-volume", aofNo, onVolume).maxMs).toBe(0);
  });
});

// A fault's run as the cell would report it, from a hand-written history.
function cellOf(writes: ScriptedWrite[], maxLossMs: number): CellResult {
  const { history, readBack } = scripted(writes);
  const verdict = checkContract(contractForMaxLoss(maxLossMs), analyzeLoss(history, readBack), history);
  return { verdict, recoveryMs: 300, measurements: {} } as unknown as CellResult;
}

describe("a gate check on a total loss (issue 9: `save \"\"`, `appendonly no` at --max-loss 3s passed)", () => {
  const none = read('save ""\nappendonly no\n');
  const input = (maxLossMs: number) => ({
    fault: "sigkill",
    description: "SIGKILL",
    documented: documentedBoundFor("sigkill", none.explanation, onVolume),
    maxLossMs,
    advice: { conf: none.conf, explanation: none.explanation, graceMs: 10_000, shutdownMs: 100 },
  });
  const everythingLost = [...clientRun(0, 1_500, 1_500), ...clientRun(1, 1_500, 1_500)];

  it("fails on both sides and says all N acknowledged writes lost", () => {
    const check = gateCheckOf(input(3_000), cellOf(everythingLost, 3_000));
    expect(check).toMatchObject({ outcome: "fail", decidedBy: ["documented", "measured"], allLost: true, lossWindowMs: null, overByMs: null });
    const text = renderGateCheck(check, 3_000).join("\n");
    expect(text).toMatch(/^ {2}FAIL {2}sigkill +documented: everything: nothing is written to disk \(unbounded\), over the 3 s bound; measured: all 3,000 acknowledged writes lost/);
    expect(text).toMatch(/change: turn persistence on/);
  });

  it("passes a run with nothing lost under a documented bound of nothing, naming both sides", () => {
    const always = read('save ""\nappendonly yes\nappendfsync always\n');
    const check = gateCheckOf({ ...input(0), documented: documentedBoundFor("sigkill", always.explanation, onVolume) }, cellOf(clientRun(0, 100), 0));
    expect(check.outcome).toBe("pass");
    expect(renderGateCheck(check, 0)).toEqual([expect.stringMatching(/PASS {2}sigkill +measured: none of 100 acknowledged writes lost; documented: nothing acknowledged \(0 ms\)$/)]);
  });
});
