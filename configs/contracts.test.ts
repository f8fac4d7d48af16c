import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { effectiveConf } from "../harness/gate/effective-conf.js";
import { explainConf } from "../harness/gate/explain-conf.js";
import { parseConf } from "../harness/gate/parse-conf.js";
import { AFTER_BGSAVE_EXPECTATION, AOF_REPAIR_CASES, DISK_FAULT_CASES, POWER_LOSS_CONTRACTS, contractFor } from "./disk-fault-contracts.js";
import type { ExpectedMeasurement } from "./disk-fault-contracts.js";
import { FINDINGS } from "./findings.js";
import { EVERYSEC_WORST_CASE_MS, MODES, NO_FINAL_SAVE, modeNamed } from "./modes.js";
import type { Mode, SourcedContract } from "./modes.js";
import { VERSION_DIFFERENCES } from "./version-differences.js";

const ALL_MODES = Object.keys(MODES) as Mode[];
const PROCESS_FAULTS = ["graceful-stop", "sigkill", "short-grace", "recreate-same-volume", "recreate-without-volume"] as const;
const conf = (mode: Mode) => effectiveConf(parseConf(readFileSync(MODES[mode].configFile, "utf8")));
const kindOf = (c: SourcedContract): string => (c.contract.kind === "window" ? `window ${c.contract.maxMs}` : c.contract.kind);

// A source names where the claim comes from: a document, a file of Redis's source, a PR, a paper.
const CITES = /redis\.io|redis\.conf|aof\.c|rdb\.c|server\.c|config\.c|SHUTDOWN docs|Docker docs|redis-check-aof|PR \d+|release notes|issue \d+/;

function everySource(): [string, string][] {
  const out: [string, string][] = [];
  for (const mode of ALL_MODES) {
    for (const fault of PROCESS_FAULTS) out.push([`${mode} x ${fault}`, MODES[mode].contracts[fault].source]);
    out.push([`${mode} x power-loss`, POWER_LOSS_CONTRACTS[mode].source]);
  }
  DISK_FAULT_CASES.forEach((c, i) => {
    const label = `disk case ${i} (${c.mode} x ${c.fault})`;
    out.push([label, c.outcome.starts ? c.outcome.expected.source : c.outcome.source]);
    if (c.outcome.starts) for (const m of c.outcome.measurements ?? []) out.push([`${label} ${m.name}`, m.source]);
  });
  AOF_REPAIR_CASES.forEach((c, i) => out.push([`repair case ${i} refusal`, c.refusalSource], [`repair case ${i} fix`, c.fixSource]));
  out.push(["after-bgsave", AFTER_BGSAVE_EXPECTATION.contract.source]);
  for (const [key, d] of Object.entries(VERSION_DIFFERENCES)) out.push([`version difference ${key}`, d.source]);
  for (const [key, f] of Object.entries(FINDINGS)) out.push([`finding ${key}`, f.source]);
  return out;
}

describe("the contract tables", () => {
  it("give each mode the process-fault contracts the README's table states", () => {
    const table = Object.fromEntries(ALL_MODES.map((mode) => [mode, PROCESS_FAULTS.map((f) => kindOf(MODES[mode].contracts[f]))]));
    expect(table).toEqual({
      none: ["all-lost", "all-lost", "all-lost", "all-lost", "all-lost"],
      rdb: ["none-lost", "after-snapshot-only", "after-snapshot-only", "none-lost", "all-lost"],
      "aof-everysec": ["none-lost", "window 2000", "none-lost", "none-lost", "all-lost"],
      "aof-always": ["none-lost", "none-lost", "none-lost", "none-lost", "all-lost"],
      "aof-no": ["none-lost", "none-lost", "none-lost", "none-lost", "all-lost"],
      "rdb-aof": ["none-lost", "window 2000", "none-lost", "none-lost", "all-lost"],
    });
  });

  it("give each mode the power-loss contract the README's table states", () => {
    expect(Object.fromEntries(ALL_MODES.map((mode) => [mode, kindOf(POWER_LOSS_CONTRACTS[mode])]))).toEqual({
      none: "all-lost",
      rdb: "after-snapshot-only",
      "aof-everysec": "window 2000",
      "aof-always": "none-lost",
      "aof-no": "since-last-fsync",
      "rdb-aof": "window 2000",
    });
  });

  it("compare a snapshot contract with the BGSAVE the workload marks as snapshot, and aof-no with the last fsync", () => {
    for (const c of [MODES.rdb.contracts.sigkill, MODES.rdb.contracts["short-grace"], POWER_LOSS_CONTRACTS.rdb, AFTER_BGSAVE_EXPECTATION.contract]) {
      expect(c.contract).toEqual({ kind: "after-snapshot-only", mark: "snapshot" });
    }
    expect(POWER_LOSS_CONTRACTS["aof-no"].contract).toEqual({ kind: "since-last-fsync", mark: "last-fsync" });
  });

  it("take everysec's worst case as 2 s", () => {
    expect(EVERYSEC_WORST_CASE_MS).toBe(2000);
  });

  it.each(everySource())("cite a source: %s", (_, source) => {
    expect(source.length).toBeGreaterThan(15);
    expect(source).toMatch(CITES);
  });

  it("cite the right source for each claim", () => {
    expect(MODES.none.contracts.sigkill.source).toMatch(/nothing is written to disk/);
    expect(MODES.rdb.contracts["recreate-without-volume"].source).toMatch(/anonymous volume/);
    expect(MODES.rdb.contracts["graceful-stop"].source).toMatch(/SIGTERM/);
    expect(MODES.rdb.contracts.sigkill.source).toMatch(/after the last snapshot/);
    expect(MODES.rdb.contracts["short-grace"].source).toMatch(/previous dump\.rdb/);
    expect(MODES["aof-everysec"].contracts.sigkill.source).toMatch(/everysec/);
    expect(MODES["aof-everysec"].contracts["short-grace"].source).toMatch(/before the final SAVE/);
    expect(MODES["aof-always"].contracts.sigkill.source).toMatch(/appendfsync always/);
    expect(MODES["aof-no"].contracts.sigkill.source).toMatch(/operating system is still running/);
    expect(POWER_LOSS_CONTRACTS["aof-no"].source).toMatch(/appendfsync no/);
    expect(POWER_LOSS_CONTRACTS["aof-always"].source).toMatch(/appendfsync always/);
    expect(POWER_LOSS_CONTRACTS["rdb-aof"].source).toMatch(/loads the AOF/);
    expect(POWER_LOSS_CONTRACTS["aof-everysec"].source).toMatch(/everysec/);
    expect(POWER_LOSS_CONTRACTS.rdb.source).toMatch(/fsyncs the directory/);
    expect(POWER_LOSS_CONTRACTS.none.source).toMatch(/nothing is written to disk/);
  });
});

describe("the modes", () => {
  it.each(ALL_MODES)("%s runs configs/%s.conf, which reads as that mode", (mode) => {
    const spec = MODES[mode];
    expect(spec.mode).toBe(mode);
    expect(spec.configFile).toBe(path.resolve(import.meta.dirname, `${mode}.conf`));
    expect(existsSync(spec.configFile)).toBe(true);
    expect(explainConf(conf(mode)).mode).toBe(mode);
    expect(spec.summary.length).toBeGreaterThan(20);
  });

  it("calls short-grace not applicable exactly for the modes whose config has no save points", () => {
    for (const mode of ALL_MODES) {
      const noFinalSave = conf(mode).savePoints.length === 0;
      expect(MODES[mode].notApplicable?.["short-grace"], mode).toBe(noFinalSave ? NO_FINAL_SAVE : undefined);
    }
    expect(NO_FINAL_SAVE).toMatch(/no save points/);
  });

  it("summarizes each mode in its own words", () => {
    expect(new Set(ALL_MODES.map((m) => MODES[m].summary)).size).toBe(ALL_MODES.length);
    expect(MODES.rdb.summary).toMatch(/snapshot/);
    expect(MODES["aof-always"].summary).toMatch(/every reply/);
  });

  it("looks a mode up by name, or says which exist", () => {
    expect(modeNamed("rdb-aof")).toBe(MODES["rdb-aof"]);
    expect(() => modeNamed("aof")).toThrow('unknown mode "aof"; known modes: none, rdb, aof-everysec, aof-always, aof-no, rdb-aof');
  });
});

describe("contractFor", () => {
  it("takes power loss from the power-loss table and a process fault from the mode", () => {
    expect(contractFor(MODES["aof-no"], "power-loss")).toBe(POWER_LOSS_CONTRACTS["aof-no"]);
    expect(contractFor(MODES["aof-no"], "sigkill")).toBe(MODES["aof-no"].contracts.sigkill);
  });

  it("refuses a fault the mode has no contract for", () => {
    expect(() => contractFor(MODES.rdb, "disk-full")).toThrow('mode rdb has no contract for the fault "disk-full"');
  });
});

describe("the disk-fault cases", () => {
  const measurement = (mode: Mode, fault: string, setting: string | undefined, name: string): ExpectedMeasurement => {
    const c = DISK_FAULT_CASES.find((d) => d.mode === mode && d.fault === fault && (setting === undefined || Object.values(d.settings ?? {}).includes(setting)));
    const found = c?.outcome.starts ? c.outcome.measurements?.find((m) => m.name === name) : undefined;
    if (!found) throw new Error(`no measurement ${name} for ${mode} x ${fault}`);
    return found;
  };
  const matches = (m: ExpectedMeasurement, value: string): boolean => (m.is instanceof RegExp ? m.is.test(value) : false);

  it("set directives by their own name, and the paired cases differ in that setting", () => {
    for (const c of [...DISK_FAULT_CASES, ...AOF_REPAIR_CASES]) {
      for (const [directive, line] of Object.entries(c.settings ?? {})) expect(line.split(" ")[0]).toBe(directive);
    }
    const settingsOf = (fault: string) => DISK_FAULT_CASES.filter((c) => c.fault === fault).map((c) => Object.values(c.settings ?? {}));
    expect(settingsOf("disk-full")).toEqual([["stop-writes-on-bgsave-error yes"], ["stop-writes-on-bgsave-error no"]]);
    expect(settingsOf("torn-aof-tail")).toEqual([["aof-load-truncated yes"], ["aof-load-truncated no"]]);
    expect(AOF_REPAIR_CASES.map((c) => c.settings)).toEqual([{ "aof-load-truncated": "aof-load-truncated yes" }, { "aof-load-truncated": "aof-load-truncated no" }]);
  });

  it("hold a slow disk to everysec's documented bound, with the finding recorded where the measurement breaks it", () => {
    for (const fault of ["slow-fsync-kill", "slow-fsync-power-loss"]) {
      const c = DISK_FAULT_CASES.find((d) => d.fault === fault);
      expect(c?.mode).toBe("aof-everysec");
      expect(c?.outcome.starts && c.outcome.expected.contract).toEqual({ kind: "window", maxMs: EVERYSEC_WORST_CASE_MS });
      expect(measurement("aof-everysec", fault, undefined, "aofDelayedFsync").is).toBe("positive");
    }
    expect(DISK_FAULT_CASES.filter((c) => c.finding).map((c) => [c.fault, c.finding])).toEqual([["slow-fsync-power-loss", "slowFsyncPowerLoss"]]);
  });

  it("expect MISCONF and refused writes with stop-writes-on-bgsave-error yes, none with no, and nothing lost either way", () => {
    const yes = "stop-writes-on-bgsave-error yes";
    const no = "stop-writes-on-bgsave-error no";
    expect(["misconfReplies", "writesFailed", "keysAddedAfterSpaceReturned"].map((n) => measurement("rdb", "disk-full", yes, n).is)).toEqual(["positive", "positive", "positive"]);
    expect(["misconfReplies", "writesFailed", "keysAddedAfterSpaceReturned"].map((n) => measurement("rdb", "disk-full", no, n).is)).toEqual(["zero", "zero", "positive"]);
    for (const setting of [yes, no]) {
      const bgsave = measurement("rdb", "disk-full", setting, "bgsaveWhileFull");
      expect([matches(bgsave, "err"), matches(bgsave, "ok"), matches(bgsave, "unknown"), matches(bgsave, "error"), matches(bgsave, "no err")]).toEqual([true, false, false, false, false]);
    }
    const after = measurement("rdb", "disk-full", yes, "bgsaveAfterSpaceReturned");
    expect([matches(after, "ok"), matches(after, "err"), matches(after, "not ok"), matches(after, "okay")]).toEqual([true, false, false, false]);
    expect(DISK_FAULT_CASES.filter((c) => c.fault === "disk-full").map((c) => c.outcome.starts && c.outcome.expected.contract.kind)).toEqual(["none-lost", "none-lost"]);
  });

  it("expect an fsync error under always to make Redis exit by itself with its own log line, nothing lost", () => {
    const exited = measurement("aof-always", "fsync-error", undefined, "exitedByItself");
    expect([matches(exited, "yes, exit code 1"), matches(exited, "no")]).toEqual([true, false]);
    const logLine = measurement("aof-always", "fsync-error", undefined, "fsyncErrorLog");
    expect(matches(logLine, "1:M 01 Dec 2026 09:00:00.000 # Can't persist AOF for fsync error when the AOF fsync policy is 'always': Input/output error. Exiting...")).toBe(true);
    expect(matches(logLine, "1:M 01 Dec 2026 09:00:00.000 # Fail to fsync the AOF file: Input/output error")).toBe(false);
    expect(matches(logLine, "none")).toBe(false);
  });

  it("expect a torn tail to load with aof-load-truncated yes and to be refused with no, each by its log line", () => {
    const loaded = measurement("aof-everysec", "torn-aof-tail", "aof-load-truncated yes", "loadLog");
    expect(matches(loaded, "!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!! | AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled")).toBe(true);
    expect(matches(loaded, "none")).toBe(false);
    const refused = DISK_FAULT_CASES.find((c) => c.fault === "torn-aof-tail" && !c.outcome.starts);
    expect(refused?.settings).toEqual({ "aof-load-truncated": "aof-load-truncated no" });
    const logLine = refused && !refused.outcome.starts ? refused.outcome.logLine : /never/;
    expect(logLine.test("1:M 01 Dec 2026 09:00:00.000 # Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup")).toBe(true);
    expect(logLine.test("1:M 01 Dec 2026 09:00:00.000 * DB loaded from append only file: 0.001 seconds")).toBe(false);
  });

  it("expect a damaged middle to be refused by its log line whatever aof-load-truncated says", () => {
    for (const c of AOF_REPAIR_CASES) {
      expect(c.mode).toBe("aof-everysec");
      expect(c.refusal.test("1:M 01 Dec 2026 09:00:00.000 # Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file")).toBe(true);
      expect(c.refusal.test("1:M 01 Dec 2026 09:00:00.000 # Unexpected end of file reading the append only file")).toBe(false);
      expect(c.fixSource).toMatch(/--fix/);
      expect(c.refusalSource).toMatch(/Bad file format/);
    }
  });

  it("tie the after-BGSAVE expectation to the directory fsync of 7.0.3", () => {
    expect(AFTER_BGSAVE_EXPECTATION.difference).toBe(VERSION_DIFFERENCES.dirFsyncAfterRename);
    expect(AFTER_BGSAVE_EXPECTATION.difference.since).toBe("7.0.3");
    expect(AFTER_BGSAVE_EXPECTATION.withoutIt).toMatch(/rename is undone/);
  });
});

describe("the findings", () => {
  it("keep the documented bound and say what was measured beyond it", () => {
    const finding = FINDINGS.slowFsyncPowerLoss;
    expect(finding.id).toBe("slow-fsync-power-loss-window");
    expect(finding.documentedBoundMs).toBe(EVERYSEC_WORST_CASE_MS);
    expect(finding.documented).toContain(`(${EVERYSEC_WORST_CASE_MS} ms)`);
    expect(finding.measured).toMatch(/3\.4-3\.5 s/);
  });
});
