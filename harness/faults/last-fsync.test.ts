import { describe, expect, it } from "vitest";
import type { FsyncRecord } from "./fault-fs/fault-fs.js";
import { isAofPath, lastDurableAofPoint } from "./last-fsync.js";

const T0 = Date.parse("2026-12-01T09:20:00.000Z");
const at = (s: number) => T0 + s * 1000;
const logAt = (ms: number) => new Date(ms).toUTCString().replace(/^\w+, /, "").replace(" GMT", `.${String(ms % 1000).padStart(3, "0")}`);
const line = (pid: string, ms: number, message: string) => `${pid} ${logAt(ms)} * ${message}`;

function fsync(path: string, atMs: number, bytes: number, lastWriteMs: number | null = atMs - 1, losses = 0): FsyncRecord {
  return { path, atMs, bytes, lastWriteMs, losses, dir: false, lied: false };
}

const start = at(0);
const startupLog = [line("1:M", at(0), "Server initialized"), line("1:M", at(0.01), "Creating AOF base file appendonly.aof.1.base.rdb on server start")];
const startupFsyncs = [fsync("/temp-rewriteaof-1.aof", at(0.01), 88, at(0.009)), fsync("/appendonlydir/appendonly.aof.manifest", at(0.02), 90)];

describe("lastDurableAofPoint", () => {
  it("reads the log's UTC time with ms", () => {
    expect(logAt(at(1.234))).toBe("01 Dec 2026 09:20:01.234");
  });

  it("is the server's start when only the startup base and manifest were fsynced (appendfsync no, no rewrite)", () => {
    const { point, problems } = lastDurableAofPoint({ fsyncLog: startupFsyncs, lossesAtCut: 0, redisLog: startupLog.join("\n"), startedAtMs: start });
    expect(problems).toEqual([]);
    // The startup base holds nothing the run wrote: its latest write is before any write of the run.
    expect(point.invokeAtMs).toBe(at(0.009));
    expect(point.okAtMs).toBe(at(0.009));
  });

  it("is the start when nothing was fsynced at all (6.0, appendfsync no)", () => {
    const { point } = lastDurableAofPoint({ fsyncLog: [], lossesAtCut: 0, redisLog: "", startedAtMs: start });
    expect(point).toMatchObject({ invokeAtMs: start, okAtMs: start });
  });

  it("is the fork of a finished rewrite whose child fsynced the base, and ignores manifests and the bio fsync of an idle file", () => {
    const log = [
      ...startupLog,
      line("1:M", at(2.5), "Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite"),
      line("1:M", at(2.501), "Background append only file rewriting started by pid 25"),
      line("25:C", at(3.2), "Successfully created the temporary AOF base file temp-rewriteaof-bg-25.aof"),
      line("1:M", at(3.3), "Background AOF rewrite terminated with success"),
      line("1:M", at(3.31), "Background AOF rewrite finished successfully"),
    ].join("\n");
    const fsyncs = [
      ...startupFsyncs,
      fsync("/appendonlydir/appendonly.aof.1.incr.aof", at(2.6), 0, null), // closed after the switch: nothing new
      fsync("/temp-rewriteaof-25.aof", at(3.19), 70_000_000, at(3.18)),
      fsync("/appendonlydir/appendonly.aof.manifest", at(3.305), 120),
    ];
    const { point, problems } = lastDurableAofPoint({ fsyncLog: fsyncs, lossesAtCut: 0, redisLog: log, startedAtMs: start });
    expect(problems).toEqual([]);
    expect(point).toMatchObject({ invokeAtMs: at(2.501), okAtMs: at(2.501) + 1 });
    expect(point.basis).toMatch(/rewrite base .*pid 25/);
  });

  it("does not count a rewrite that never finished (the cut came before the rename)", () => {
    const log = [...startupLog, line("1:M", at(2.5), "Background append only file rewriting started by pid 25")].join("\n");
    const { point } = lastDurableAofPoint({
      fsyncLog: [...startupFsyncs, fsync("/temp-rewriteaof-25.aof", at(3.19), 70_000_000)],
      lossesAtCut: 0,
      redisLog: log,
      startedAtMs: start,
    });
    expect(point.invokeAtMs).toBe(at(0.009));
  });

  it("takes the latest write an incr fsync made durable (everysec), not the time of the fsync", () => {
    const fsyncs = [...startupFsyncs, fsync("/appendonlydir/appendonly.aof.1.incr.aof", at(1), 5_000, at(0.998)), fsync("/appendonlydir/appendonly.aof.1.incr.aof", at(2.4), 9_000, at(2.1))];
    const { point } = lastDurableAofPoint({ fsyncLog: fsyncs, lossesAtCut: 0, redisLog: startupLog.join("\n"), startedAtMs: start });
    expect(point).toMatchObject({ invokeAtMs: at(2.1), okAtMs: at(2.1) });
  });

  it("ignores fsyncs made after the cut (by a process still dying) and those that made nothing durable", () => {
    const fsyncs = [fsync("/appendonly.aof", at(1), 10, at(0.9), 0), fsync("/appendonly.aof", at(1.5), 10, at(1.4), 1), fsync("/appendonly.aof", at(1.2), 0, null, 0)];
    expect(lastDurableAofPoint({ fsyncLog: fsyncs, lossesAtCut: 0, redisLog: "", startedAtMs: at(0) }).point.invokeAtMs).toBe(at(0.9));
  });

  it("says when a rewrite temp file was fsynced by a pid the log does not know", () => {
    const { problems } = lastDurableAofPoint({ fsyncLog: [fsync("/temp-rewriteaof-77.aof", at(1), 10)], lossesAtCut: 0, redisLog: startupLog.join("\n"), startedAtMs: start });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/pid 77/);
  });
});

describe("isAofPath", () => {
  it("knows the AOF files of 6.0 and 7.0+ and leaves out manifests and RDB snapshots", () => {
    expect(["/appendonly.aof", "/appendonlydir/appendonly.aof.1.incr.aof", "/appendonlydir/appendonly.aof.2.base.rdb", "/temp-rewriteaof-bg-25.aof", "/temp-rewriteaof-1.aof"].every(isAofPath)).toBe(true);
    expect(["/appendonlydir/appendonly.aof.manifest", "/dump.rdb", "/temp-31.rdb", "/users.acl"].some(isAofPath)).toBe(false);
  });
});
