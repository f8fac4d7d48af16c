import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import { effectiveConf } from "../gate/effective-conf.js";
import { graceHazard } from "../gate/hazards.js";
import { parseConf } from "../gate/parse-conf.js";
import { blockDeviceOf, describeDisk, mountOf } from "./disk.js";
import { graceContract, shutdownStepsOf, shutdownStepsOfMode } from "./grace-contract.js";
import { expectedCellMs, remainingSweepMs } from "./grace-estimate.js";
import { fixtureCell, fixtureGraceRun } from "./grace-fixture.js";
import { GRACE_MARGIN, graceFigure, recommendedGraceMs } from "./grace-rule.js";
import { buildGraceSection, recommendationText } from "./grace-section.js";
import { needsSnapshotMark } from "./run-grace-cell.js";
import { plannedCells, sweepableModes } from "./run-grace-sweep.js";
import { describeStop, stopFactsOf, timestampMs, withSnapshotFile } from "./stop-outcome.js";

// Logs as Redis 7.0.15 wrote them on the reference machine (trimmed).
const BGSAVE_BEFORE = [
  "1:M 01 Dec 2026 09:28:55.019 * Background saving started by pid 11",
  "11:C 01 Dec 2026 09:28:56.584 * DB saved on disk",
  "1:M 01 Dec 2026 09:28:56.686 * Background saving terminated with success",
];
const SAVED = [
  ...BGSAVE_BEFORE,
  "1:signal-handler (1796117336) Received SIGTERM scheduling shutdown...",
  "1:M 01 Dec 2026 09:28:56.787 # User requested shutdown...",
  "1:M 01 Dec 2026 09:28:56.787 * Saving the final RDB snapshot before exiting.",
  "1:M 01 Dec 2026 09:28:58.448 * DB saved on disk",
  "1:M 01 Dec 2026 09:28:58.448 # Redis is now ready to exit, bye bye...",
].join("\n");
const KILLED_MID_SAVE = [
  ...BGSAVE_BEFORE,
  "1:signal-handler (1796117809) Received SIGTERM scheduling shutdown...",
  "1:M 01 Dec 2026 09:36:49.416 # User requested shutdown...",
  "1:M 01 Dec 2026 09:36:49.416 * Saving the final RDB snapshot before exiting.",
  "",
].join("\n");
const AOF_KILLED_MID_SAVE = [
  "1:signal-handler (1796117809) Received SIGTERM scheduling shutdown...",
  "1:M 01 Dec 2026 09:30:48.435 # User requested shutdown...",
  "1:M 01 Dec 2026 09:30:48.435 * Calling fsync() on the AOF file.",
  "1:M 01 Dec 2026 09:30:48.438 * Saving the final RDB snapshot before exiting.",
].join("\n");
const AOF_KILLED_BEFORE_FLUSH = [
  "1:signal-handler (1796117815) Received SIGTERM scheduling shutdown...",
  "1:M 01 Dec 2026 09:36:55.974 # User requested shutdown...",
  "1:M 01 Dec 2026 09:36:55.975 # There is a child rewriting the AOF. Killing it!",
].join("\n");
const AOF_ONLY_EXITED = [
  "1:signal-handler (1796117822) Received SIGTERM scheduling shutdown...",
  "1:M 01 Dec 2026 09:37:02.641 # User requested shutdown...",
  "1:M 01 Dec 2026 09:37:02.670 * Calling fsync() on the AOF file.",
  "1:M 01 Dec 2026 09:37:02.692 # Redis is now ready to exit, bye bye...",
].join("\n");

describe("stopFactsOf", () => {
  it("reads a completed final save, its duration by the server's log, and ignores the BGSAVE before the stop", () => {
    expect(stopFactsOf(0, SAVED, 1_971)).toMatchObject({ ended: "exited", finalSave: "completed", aofFlushed: false, shutdownMs: 1_971, finalSaveMs: 1_661, aofFlushMs: null });
  });

  it("reads SIGKILL during the final save: the earlier BGSAVE's \"DB saved on disk\" does not count", () => {
    const facts = stopFactsOf(137, KILLED_MID_SAVE, 1_578);
    expect(facts).toMatchObject({ ended: "killed", finalSave: "interrupted", finalSaveMs: null });
    expect(facts.seen).toBe("exit code 137; the final save began and never completed");
  });

  it("reads only the last stop of a container that was stopped and started before", () => {
    expect(stopFactsOf(137, `${SAVED}\n1:M 01 Dec 2026 09:29:00.001 * Ready to accept connections\n${KILLED_MID_SAVE}`, 1_500)).toMatchObject({ ended: "killed", finalSave: "interrupted" });
  });

  it("reads an AOF flushed before a final save that SIGKILL cut short, and one killed before its flush", () => {
    expect(stopFactsOf(137, AOF_KILLED_MID_SAVE, 1_400)).toMatchObject({ ended: "killed", finalSave: "interrupted", aofFlushed: true, aofFlushMs: 3 });
    expect(stopFactsOf(137, AOF_KILLED_BEFORE_FLUSH, 700)).toMatchObject({ ended: "killed", finalSave: "not-started", aofFlushed: false });
  });

  it("counts a final save as completed when dump.rdb was replaced after the stop began, though SIGKILL beat the log line", () => {
    const killed = stopFactsOf(137, KILLED_MID_SAVE, 2_306);
    const stopSentAt = 1_000_000;
    const renamed = withSnapshotFile(killed, stopSentAt + 2_150, stopSentAt);
    expect(renamed).toMatchObject({ ended: "killed", finalSave: "completed" });
    expect(renamed.seen).toMatch(/dump\.rdb was written 2150 ms after the stop was sent: the final save completed/);
    expect(withSnapshotFile(killed, stopSentAt - 1_400, stopSentAt)).toBe(killed);
    expect(withSnapshotFile(killed, null, stopSentAt)).toBe(killed);
    const saved = stopFactsOf(0, SAVED, 2_000);
    expect(withSnapshotFile(saved, stopSentAt + 1_900, stopSentAt)).toBe(saved);
  });

  it("reads an AOF-only stop: flushed, no final save, exited by itself", () => {
    expect(stopFactsOf(0, AOF_ONLY_EXITED, 60)).toMatchObject({ ended: "exited", finalSave: "not-started", aofFlushed: true, aofFlushMs: 22 });
  });

  it("calls an exit code that matches neither path unexplained", () => {
    expect(stopFactsOf(1, KILLED_MID_SAVE, 100).ended).toBe("unexplained");
    expect(stopFactsOf(0, KILLED_MID_SAVE, 100).ended).toBe("unexplained");
    expect(stopFactsOf(137, SAVED, 100).ended).toBe("unexplained");
  });

  it("describes stops in words, and parses log timestamps", () => {
    const ms = (v: number): string => `${v} ms`;
    expect(describeStop({ ended: "exited", finalSave: "completed", shutdownMs: 900 }, ms)).toBe("saved and exited in 900 ms");
    expect(describeStop({ ended: "killed", finalSave: "interrupted", shutdownMs: 1_400 }, ms)).toBe("killed during the final save after 1400 ms");
    expect(describeStop({ ended: "killed", finalSave: "not-started", shutdownMs: 300 }, ms)).toBe("killed before any final save after 300 ms");
    expect(describeStop({ ended: "exited", finalSave: "not-started", shutdownMs: 30 }, ms)).toBe("exited in 30 ms, no final save");
    expect(timestampMs("1:M 01 Dec 2026 09:28:58.448 # x")! - timestampMs("1:M 30 Nov 2026 23:59:59.448 # x")!).toBe(9 * 3600_000 + 28 * 60_000 + 59_000);
    expect(timestampMs("1:signal-handler (1796117336) Received SIGTERM")).toBeNull();
  });
});

describe("graceContract: the documented contract the stop's outcome falls under", () => {
  const rdb = shutdownStepsOfMode(MODES.rdb);
  const rdbAof = shutdownStepsOfMode(MODES["rdb-aof"]);

  it("reads the shutdown steps from the config files", () => {
    expect(rdb).toEqual({ finalSave: true, aof: false });
    expect(rdbAof).toEqual({ finalSave: true, aof: true });
    expect(shutdownStepsOfMode(MODES["aof-everysec"])).toEqual({ finalSave: false, aof: true });
    expect(shutdownStepsOf("appendonly no\n")).toEqual({ finalSave: true, aof: false });
    expect(shutdownStepsOf('save 900 1\nsave ""\n# save 60 1\n')).toEqual({ finalSave: false, aof: false });
  });

  it("rdb: a completed save loses nothing; SIGKILL during or before it falls back to the last snapshot", () => {
    expect(graceContract(MODES.rdb, rdb, { ended: "exited", finalSave: "completed", aofFlushed: false }).expected.contract).toEqual({ kind: "none-lost" });
    expect(graceContract(MODES.rdb, rdb, { ended: "killed", finalSave: "interrupted", aofFlushed: false }).expected).toBe(MODES.rdb.contracts["short-grace"]);
    expect(graceContract(MODES.rdb, rdb, { ended: "killed", finalSave: "not-started", aofFlushed: false }).expected).toBe(MODES.rdb.contracts.sigkill);
    expect(graceContract(MODES.rdb, rdb, { ended: "killed", finalSave: "completed", aofFlushed: false }).expected.contract.kind).toBe("none-lost");
  });

  it("rdb-aof: SIGKILL after the AOF flush loses nothing; before it, a crash (the everysec window)", () => {
    expect(graceContract(MODES["rdb-aof"], rdbAof, { ended: "killed", finalSave: "interrupted", aofFlushed: true }).expected.contract).toEqual({ kind: "none-lost" });
    expect(graceContract(MODES["rdb-aof"], rdbAof, { ended: "killed", finalSave: "not-started", aofFlushed: false }).expected.contract).toEqual({ kind: "window", maxMs: 2_000 });
  });

  it("an unexplained end, or an exit without the save a config asks for, cannot speak for any contract", () => {
    expect(graceContract(MODES.rdb, rdb, { ended: "unexplained", finalSave: "interrupted", aofFlushed: false }).explained).toBe(false);
    expect(graceContract(MODES.rdb, rdb, { ended: "exited", finalSave: "not-started", aofFlushed: false }).explained).toBe(false);
    expect(graceContract(MODES["aof-always"], shutdownStepsOfMode(MODES["aof-always"]), { ended: "exited", finalSave: "not-started", aofFlushed: true }).explained).toBe(true);
  });

  it("takes a BGSAVE mark only where a cut-short stop falls back to a snapshot", () => {
    expect(needsSnapshotMark(rdb)).toBe(true);
    expect(needsSnapshotMark(rdbAof)).toBe(false);
  });
});

describe("the grace rule (the gate's margin)", () => {
  it("gives the slowest shutdown x 1.5 in whole seconds, at least 1 s", () => {
    expect(GRACE_MARGIN).toBe(1.5);
    expect(recommendedGraceMs(0)).toBe(1_000);
    expect(recommendedGraceMs(850)).toBe(2_000);
    expect(recommendedGraceMs(2_000)).toBe(3_000);
    expect(recommendedGraceMs(2_001)).toBe(4_000);
    expect(recommendedGraceMs(21_400)).toBe(33_000);
  });

  it("uses the margin of the gate's grace hazard: the grace it says to raise above is never more than the one given here", () => {
    const conf = effectiveConf(parseConf("save 900 1\n"));
    for (const shutdownMs of [850, 2_000, 4_800, 21_400]) {
      const fix = graceHazard(conf, shutdownMs, 0, 64)?.fix ?? "";
      const above = Number(/above ([\d.]+) s/.exec(fix)?.[1]);
      expect(above, fix).toBeLessThanOrEqual(recommendedGraceMs(shutdownMs) / 1000);
      expect(above, fix).toBeGreaterThan(recommendedGraceMs(shutdownMs) / 1000 - 1.05);
    }
  });

  it("states the deployment's figure: enough, tight (fits without the margin) or short", () => {
    const disk = "/dev/vda (ext4)";
    expect(graceFigure({ datasetMiB: 64, graceMs: 10_000, shutdownMs: 900, disk })).toMatchObject({ verdict: "enough", recommendedGraceMs: 2_000, marginMs: 9_100 });
    expect(graceFigure({ datasetMiB: 256, graceMs: 3_000, shutdownMs: 2_400, disk })).toMatchObject({ verdict: "tight", recommendedGraceMs: 4_000 });
    const short = graceFigure({ datasetMiB: 1024, graceMs: 10_000, shutdownMs: 21_000, disk });
    expect(short).toMatchObject({ verdict: "short", recommendedGraceMs: 32_000, marginMs: -11_000 });
    expect(short.text).toBe(
      "with 1024 MiB the shutdown took 21 s; the grace of 10 s is 11 s short, so a stop ends in SIGKILL before the shutdown finishes: give at least 32 s (the shutdown x 1.5, in whole seconds); measured on /dev/vda (ext4): a slower disk or more data needs more",
    );
  });
});

describe("buildGraceSection", () => {
  const section = buildGraceSection(fixtureGraceRun(2), "/dev/vda (ext4) under /var/lib/docker/volumes");

  it("holds a cell per mode x size x grace with every repetition, and lists modes without a final save as not swept", () => {
    expect(section.modes).toEqual(["rdb", "rdb-aof"]);
    expect(section.cells).toHaveLength(12);
    expect(section.cells.every((c) => c.runs.length === 2)).toBe(true);
    expect(section.notApplicable).toEqual([{ mode: "aof-everysec", reason: expect.stringMatching(/no save points.*measured here: the AOF flush and fsync of a shutdown took 2-3 ms/) }]);
  });

  it("summarizes the rdb flip and rdb-aof's AOF", () => {
    const cell = (mode: string, mib: number, grace: number) => section.cells.find((c) => c.mode === mode && c.datasetMiB === mib && c.graceMs === grace);
    expect(cell("rdb", 256, 1_000)?.summary).toBe("killed mid-save at 1 s: 9,075 lost (after the snapshot)");
    expect(cell("rdb", 256, 30_000)?.summary).toBe("saved in 2 s: none lost");
    expect(cell("rdb-aof", 256, 1_000)).toMatchObject({ finalSave: "interrupted", summary: "killed mid-save at 1 s: none lost" });
  });

  it("measures the shutdown per size over the stops that finished and recommends x 1.5", () => {
    const rdb256 = section.shutdowns.find((s) => s.mode === "rdb" && s.datasetMiB === 256);
    expect(rdb256).toMatchObject({ stops: 6, completedStops: 2, shutdownMs: { n: 2, min: 2_000, median: 2_030, max: 2_060 }, longestKilledGraceMs: 1_000, slowestMs: 2_060, recommendedGraceMs: 4_000 });
    expect(rdb256?.recommendation).toBe("for 256 MiB on this disk (rdb), give at least 4 s: the slowest of 2 completed shutdowns took 2.1 s, x 1.5");
    const rdb64 = section.shutdowns.find((s) => s.mode === "rdb" && s.datasetMiB === 64);
    expect(rdb64).toMatchObject({ completedStops: 4, recommendedGraceMs: 2_000 });
  });

  it("lets a grace that proved too short raise the slowest shutdown, and says when no stop finished", () => {
    expect(
      recommendationText({ mode: "rdb", datasetMiB: 256, completed: 1, shutdownMs: { max: 1_800 }, longestKilledGraceMs: 2_000, slowestMs: 2_000, recommended: 3_000 }),
    ).toBe("for 256 MiB on this disk (rdb), give at least 3 s: a stop took longer than a 2 s grace (killed), more than the slowest of 1 completed shutdowns (1.8 s), x 1.5");
    expect(recommendationText({ mode: "rdb", datasetMiB: 1024, completed: 0, shutdownMs: null, longestKilledGraceMs: 10_000, slowestMs: null, recommended: null })).toBe(
      "for 1024 MiB on this disk (rdb): no stop finished within the longest grace tried (10 s), so this sweep cannot say; give more than 15 s and measure again with longer graces",
    );
  });

  it("keeps a violated stop visible in the cell's summary and verdict", () => {
    const run = fixtureGraceRun(1);
    const broken = run.results.find((r) => r.mode === "rdb" && r.graceMs === 30_000);
    if (broken) broken.verdict = { ...broken.verdict, valid: false, reasons: ["12 of 30000 acknowledged writes lost"] };
    const cell = buildGraceSection(run, "disk").cells.find((c) => c.mode === "rdb" && c.graceMs === 30_000 && c.datasetMiB === 64);
    expect(cell).toMatchObject({ verdict: false, summary: "saved in 850 ms: none lost; VIOLATED" });
  });
});

describe("the sweep's plan and estimate", () => {
  const plan = { image: "x", modes: [MODES.rdb, MODES["aof-no"], MODES["rdb-aof"]], gracesMs: [30_000, 0, 1_000], datasetSizesMiB: [256, 64], repetitions: 2 };

  it("sweeps only modes with a final save, repetitions outermost, graces ascending", () => {
    expect(sweepableModes(plan.modes).swept.map((m) => m.mode)).toEqual(["rdb", "rdb-aof"]);
    const cells = plannedCells(plan);
    expect(cells).toHaveLength(24);
    expect(cells.slice(0, 4).map((c) => `${c.repetition} ${c.mode.mode} ${c.datasetMiB} ${c.graceMs}`)).toEqual(["1 rdb 64 0", "1 rdb 64 1000", "1 rdb 64 30000", "1 rdb 256 0"]);
    expect(cells[12]?.repetition).toBe(2);
    expect(plannedCells({ ...plan, only: [{ mode: "rdb-aof", datasetMiB: 64, graceMs: 1_000 }] }).map((c) => c.mode.mode)).toEqual(["rdb-aof", "rdb-aof"]);
    expect(() => plannedCells({ ...plan, only: [{ mode: "aof-no", datasetMiB: 64, graceMs: 1_000 }] })).toThrow(/not among the swept modes/);
  });

  it("expects a 1 GiB cell to cost its preload, snapshot, save (up to the grace) and load", () => {
    const rdb = { finalSave: true, aof: false };
    const rdbAof = { finalSave: true, aof: true };
    expect(expectedCellMs({ steps: rdb, datasetMiB: 1024, graceMs: 30_000 })).toBe(Math.round(5_000 + 4 * 1024 + 13 * 1024 + 20 * 1024 + 300 + 5.5 * 1024));
    expect(expectedCellMs({ steps: rdb, datasetMiB: 1024, graceMs: 1_000 })).toBe(Math.round(5_000 + 4 * 1024 + 13 * 1024 + 1_500 + 5.5 * 1024));
    expect(expectedCellMs({ steps: rdbAof, datasetMiB: 1024, graceMs: 0 })).toBe(Math.round(5_000 + 32 * 1024 + 500 + 5.5 * 1024));
  });

  it("scales the remaining time by how the finished cells compared with their expectation", () => {
    const upcoming = [{ steps: { finalSave: true, aof: false }, datasetMiB: 64, graceMs: 0 }];
    const one = expectedCellMs(upcoming[0]!);
    expect(remainingSweepMs([], upcoming)).toBe(one);
    expect(remainingSweepMs([{ expectedMs: 10_000, durationMs: 20_000 }], upcoming)).toBe(2 * one);
  });
});

describe("the disk the volumes are on", () => {
  const mounts = ["/dev/vda / ext4 rw,relatime 0 0", "tmpfs /dev/shm tmpfs rw 0 0", "/dev/vda /var/lib/docker ext4 rw,relatime 0 0", "/dev/nvme0n1p2 /var/lib/docker/volumes/x xfs rw 0 0"].join("\n");

  it("finds the mount that holds the volumes, and the block device of a partition", () => {
    expect(mountOf(mounts, "/var/lib/docker/volumes")).toEqual({ device: "/dev/vda", mountPoint: "/var/lib/docker", fsType: "ext4" });
    expect(mountOf(mounts, "/srv/docker/volumes")?.mountPoint).toBe("/");
    expect(blockDeviceOf("/dev/nvme0n1p2")).toBe("nvme0n1");
    expect(blockDeviceOf("/dev/vda1")).toBe("vda");
    expect(blockDeviceOf("/dev/sda")).toBe("sda");
  });

  it("names it in one line", () => {
    const mount = { device: "/dev/vda", mountPoint: "/var/lib/docker", fsType: "ext4" };
    expect(describeDisk({ mount, volumesPath: "/var/lib/docker/volumes", driver: "virtio_blk", rotational: true })).toBe("/dev/vda (ext4, virtio_blk, reported rotational) under /var/lib/docker/volumes");
    expect(describeDisk({ mount: undefined, volumesPath: "/x/volumes" })).toBe("the disk under /x/volumes (its mount was not found)");
  });

  it("is what the fixture's cells use", () => {
    expect(fixtureCell(MODES.rdb, 64, 0).stop.ended).toBe("killed");
  });
});
