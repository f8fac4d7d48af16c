import { describe, expect, it } from "vitest";
import { documentedBoundFor, storageLosesEverything } from "./documented-bound.js";
import type { DeploymentFacts } from "./documented-bound.js";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import type { LossBound } from "./explain-conf.js";
import { gateVerdict, judgeCheck } from "./gate-verdict.js";
import type { Hazard } from "./hazards.js";
import { parseConf } from "./parse-conf.js";

// Light on imports on purpose: StrykerJS runs this file for every mutant of the pass rule.
const explain = (text: string) => explainConf(effectiveConf(parseConf(text)));
const onVolume: DeploymentFacts = { shutdownOutlastsGrace: false, dirOnVolume: true, dir: "/data" };
const bound = (maxMs: number | null): LossBound => ({ maxMs, text: "t" });

describe("judgeCheck", () => {
  it("takes a documented bound equal to --max-loss as within", () => {
    expect(judgeCheck(bound(2_000), true, 2_000)).toEqual({ outcome: "pass", decidedBy: ["documented", "measured"], documentedWithin: true, measuredWithin: true });
    expect(judgeCheck(bound(2_001), true, 2_000)).toEqual({ outcome: "fail", decidedBy: ["documented"], documentedWithin: false, measuredWithin: true });
  });

  it("never lets an unbounded documented case fit, not even a bound of forever", () => {
    expect(judgeCheck(bound(null), true, Number.POSITIVE_INFINITY)).toMatchObject({ outcome: "fail", decidedBy: ["documented"], documentedWithin: false });
  });

  it("reports what each side said, whatever the outcome", () => {
    expect(judgeCheck(bound(0), false, 0)).toEqual({ outcome: "fail", decidedBy: ["measured"], documentedWithin: true, measuredWithin: false });
    expect(judgeCheck(bound(0), "unknown", 0)).toEqual({ outcome: "fail", decidedBy: ["measured"], documentedWithin: true, measuredWithin: false });
    expect(judgeCheck(bound(5), "not-applicable", 0)).toEqual({ outcome: "fail", decidedBy: ["documented"], documentedWithin: false, measuredWithin: "not-applicable" });
    expect(judgeCheck(bound(0), "not-applicable", 0)).toEqual({ outcome: "not-applicable", decidedBy: [], documentedWithin: true, measuredWithin: "not-applicable" });
    expect(judgeCheck(bound(5), false, 0)).toEqual({ outcome: "fail", decidedBy: ["documented", "measured"], documentedWithin: false, measuredWithin: false });
  });
});

describe("gateVerdict", () => {
  const pass = { fault: "sigkill", outcome: "pass" as const, decidedBy: ["documented" as const, "measured" as const] };
  const na = { fault: "short-grace", outcome: "not-applicable" as const, decidedBy: [] };
  const hazard = (over: Partial<Hazard>): Hazard => ({ id: "h", kind: "durability", severity: "danger", message: "the message", fix: "f", failsGate: true, ...over });

  it("passes when every check passed or did not apply, and no hazard fails the gate", () => {
    expect(gateVerdict([pass, na], [hazard({ failsGate: false })])).toEqual({ passed: true, reasons: [] });
  });

  it("names every failing check with the sides that decided, in order", () => {
    const verdict = gateVerdict(
      [
        { fault: "power-loss", outcome: "fail", decidedBy: ["documented", "measured"] },
        pass,
        { fault: "graceful-stop", outcome: "fail", decidedBy: ["measured"] },
      ],
      [],
    );
    expect(verdict).toEqual({ passed: false, reasons: ["power-loss broke the bound (documented and measured)", "graceful-stop broke the bound (measured)"] });
  });

  it("names a hazard that fails the gate by where the deployment wrote it, else its line, else nothing", () => {
    const verdict = gateVerdict([pass], [hazard({ at: "compose.yml:14", line: 3 }), hazard({ line: 3 }), hazard({}), hazard({ failsGate: false, message: "a warning" })]);
    expect(verdict).toEqual({ passed: false, reasons: ["compose.yml:14: the message", "line 3: the message", "the message"] });
  });

  it("does not pass when nothing held the config to the bound", () => {
    expect(gateVerdict([], [])).toEqual({ passed: false, reasons: ["no fault was run"] });
    expect(gateVerdict([na, na], [])).toEqual({ passed: false, reasons: ["every fault was not applicable here: nothing held the config to the bound"] });
  });
});

describe("documentedBoundFor", () => {
  const rdb = explain("save 900 1\nappendonly no\n");
  const always = explain('save ""\nappendonly yes\nappendfsync always\n');
  const everysec = explain('save ""\nappendonly yes\n');

  it("holds a power cut to the power-loss bound and a kill or a short grace to the crash bound", () => {
    expect(documentedBoundFor("power-loss", everysec, { ...onVolume, shutdownOutlastsGrace: true, dirOnVolume: false })).toBe(everysec.powerLoss);
    expect(documentedBoundFor("sigkill", rdb, onVolume)).toBe(rdb.processCrash);
    expect(documentedBoundFor("short-grace", rdb, onVolume)).toBe(rdb.processCrash);
  });

  it("holds both stops to the clean stop, and to the crash bound when the shutdown outlasts the grace", () => {
    for (const fault of ["graceful-stop", "recreate-same-volume"]) {
      expect(documentedBoundFor(fault, rdb, onVolume)).toBe(rdb.cleanStop);
      expect(documentedBoundFor(fault, always, { ...onVolume, shutdownOutlastsGrace: true })).toEqual({
        maxMs: 0,
        text: "the measured shutdown outlasts the grace, so the stop ends in SIGKILL, a crash: nothing acknowledged",
      });
    }
  });

  it("loses everything on a new container without the volume, or with the files off it", () => {
    expect(documentedBoundFor("recreate-without-volume", always, onVolume)).toEqual({ maxMs: null, text: "everything: the new container has no volume, so the data dir is gone" });
    expect(documentedBoundFor("recreate-same-volume", always, { ...onVolume, dirOnVolume: false, dir: "/tmp" })).toEqual({
      maxMs: null,
      text: "everything: `dir /tmp` is not on the volume, so the files go with the removed container",
    });
    expect(documentedBoundFor("recreate-same-volume", always, { ...onVolume, dirOnVolume: false, dir: "/data", storageText: "/data (anonymous-volume)" })).toEqual({
      maxMs: null,
      text: "everything: the data dir /data (anonymous-volume) does not survive a new container, so it starts empty",
    });
  });

  it("keeps the files off the volume for a restart of the same container", () => {
    expect(documentedBoundFor("graceful-stop", always, { ...onVolume, dirOnVolume: false, dir: "/tmp" })).toBe(always.cleanStop);
    expect(documentedBoundFor("sigkill", always, { ...onVolume, dirOnVolume: false, dir: "/tmp" })).toBe(always.processCrash);
    expect(documentedBoundFor("sigkill", always, { ...onVolume, restartKeepsFiles: true })).toBe(always.processCrash);
  });

  it("loses everything on any restart where the storage keeps no files across one (a tmpfs)", () => {
    const tmpfs = { ...onVolume, dirOnVolume: false, restartKeepsFiles: false, storageText: "/data (tmpfs)" };
    for (const fault of ["graceful-stop", "sigkill", "short-grace", "fork-under-memory-limit"]) {
      expect(documentedBoundFor(fault, always, tmpfs)).toEqual({ maxMs: null, text: "everything: the data dir /data (tmpfs) keeps no files across a restart of the container" });
    }
    expect(documentedBoundFor("sigkill", always, { ...tmpfs, storageText: undefined, dir: "/run/redis" }).text).toBe("everything: the data dir /run/redis keeps no files across a restart of the container");
    // A power cut is judged by what was fsynced, unless the storage is RAM.
    expect(documentedBoundFor("power-loss", always, tmpfs)).toBe(always.powerLoss);
    expect(documentedBoundFor("power-loss", always, { ...tmpfs, rebootKeepsFiles: true })).toBe(always.powerLoss);
    expect(documentedBoundFor("power-loss", always, { ...tmpfs, rebootKeepsFiles: false })).toEqual({ maxMs: null, text: "everything: the data dir /data (tmpfs) does not survive the machine losing power" });
  });

  it("says which faults the storage itself loses everything to", () => {
    const tmpfs = { ...onVolume, dirOnVolume: false, restartKeepsFiles: false };
    expect(storageLosesEverything("recreate-without-volume", onVolume)).toBe(true);
    expect(storageLosesEverything("recreate-same-volume", onVolume)).toBe(false);
    expect(storageLosesEverything("recreate-same-volume", { ...onVolume, dirOnVolume: false })).toBe(true);
    expect(storageLosesEverything("sigkill", onVolume)).toBe(false);
    expect(storageLosesEverything("sigkill", { ...onVolume, restartKeepsFiles: true })).toBe(false);
    for (const fault of ["graceful-stop", "sigkill", "short-grace", "fork-under-memory-limit"]) expect(storageLosesEverything(fault, tmpfs), fault).toBe(true);
    expect(storageLosesEverything("power-loss", tmpfs)).toBe(false);
    expect(storageLosesEverything("power-loss", { ...tmpfs, rebootKeepsFiles: true })).toBe(false);
    expect(storageLosesEverything("power-loss", { ...tmpfs, rebootKeepsFiles: false })).toBe(true);
    expect(storageLosesEverything("memory-pressure", tmpfs)).toBe(false);
  });
});
