import { describe, expect, it } from "vitest";
import type { StatusSource } from "./unsynced-moment.js";
import { awaitUnsyncedAof, describeMoment } from "./unsynced-moment.js";

type Seen = Awaited<ReturnType<StatusSource>>;
const aof = "/appendonlydir/appendonly.aof.1.incr.aof";
const fsync = (atMs: number, path = aof) => ({ path, atMs, bytes: 10, lastWriteMs: atMs, losses: 0, dir: false, lied: false });
const pendingFile = { path: aof, size: 140, pendingBytes: 40, pendingOps: 1 };
const syncedFile = { path: aof, size: 100, pendingBytes: 0, pendingOps: 0 };

/** A status source on a clock that advances 5 ms per look, the status a function of that clock. */
function timeline(at: (nowMs: number) => Seen): { source: StatusSource; now: () => number } {
  let clock = 10_000;
  return {
    source: async () => {
      clock += 5;
      return at(clock);
    },
    now: () => clock,
  };
}

// A server fsyncing every `period` ms since 0 (the latest fsyncs logged), bytes pending except in the first `quiet` ms after each.
const periodic = (period: number, quiet = 0) => (nowMs: number) => {
  const last = Math.floor(nowMs / period) * period;
  return { files: [nowMs - last < quiet ? syncedFile : pendingFile], fsyncLog: [0, 1, 2, 3, 4, 5].map((k) => fsync(last - (5 - k) * period)) };
};

describe("awaitUnsyncedAof", () => {
  it("cuts at the drawn point of the period: early, late, never in the last 50 ms before the next fsync", async () => {
    for (const [draw, lowest] of [
      [0, 0],
      [0.5, 475],
      [0.99, 940],
    ] as const) {
      const { source, now } = timeline(periodic(1_000));
      const moment = await awaitUnsyncedAof(source, { deadlineMs: 2_500, periodic: true, now, random: () => draw });
      expect(moment.found).toBe(true);
      expect(moment.periodMs).toBe(1_000);
      expect(moment.sinceFsyncMs).toBeGreaterThanOrEqual(lowest);
      expect(moment.sinceFsyncMs).toBeLessThanOrEqual(950);
    }
  });

  it("follows the server's own period: one that fsyncs every 2.4 s is cut late in its long gaps too", async () => {
    const { source, now } = timeline(periodic(2_400));
    const moment = await awaitUnsyncedAof(source, { deadlineMs: 2_500, periodic: true, now, random: () => 0.9 });
    expect(moment).toMatchObject({ found: true, periodMs: 2_400 });
    expect(moment.sinceFsyncMs).toBeGreaterThanOrEqual(2_115);
    expect(moment.sinceFsyncMs).toBeLessThanOrEqual(2_350);
  });

  it("waits past a moment with nothing unsynced (just after an fsync, the write postponed)", async () => {
    const { source, now } = timeline(periodic(1_000, 30));
    const moment = await awaitUnsyncedAof(source, { deadlineMs: 2_500, periodic: true, now, random: () => 0 });
    expect(moment.found).toBe(true);
    expect(moment.sinceFsyncMs).toBeGreaterThanOrEqual(30);
  });

  it("reads only AOF files and AOF fsyncs: an unsynced RDB temp file or a dir fsync does not count", async () => {
    const { source, now } = timeline(() => ({ files: [{ path: "/temp-123.rdb", size: 9, pendingBytes: 9, pendingOps: 1 }], fsyncLog: [fsync(1_000, "/temp-123.rdb"), { ...fsync(1_000, "/"), dir: true }] }));
    const moment = await awaitUnsyncedAof(source, { deadlineMs: 50, periodic: false, now });
    expect(moment.found).toBe(false);
    expect(moment.sinceFsyncMs).toBeNull();
    expect(describeMoment(moment)).toMatch(/^no moment with unsynced AOF bytes in \d+ ms \(no AOF fsync logged yet\)$/);
  });

  it("under appendfsync no, any unsynced AOF byte will do", async () => {
    const { source, now } = timeline(() => ({ files: [pendingFile], fsyncLog: [] }));
    expect(await awaitUnsyncedAof(source, { deadlineMs: 50, periodic: false, now })).toEqual({ found: true, waitedMs: 5, sinceFsyncMs: null, periodMs: null });
  });

  it("gives up after the deadline (at least two periods) and says so", async () => {
    const { source, now } = timeline(() => ({ files: [syncedFile], fsyncLog: [fsync(0), fsync(1_000)] }));
    const moment = await awaitUnsyncedAof(source, { deadlineMs: 100, periodic: true, now });
    expect(moment.found).toBe(false);
    expect(moment.waitedMs).toBeGreaterThanOrEqual(2_500);
    expect(describeMoment(moment)).toContain("no moment with unsynced AOF bytes");
  });
});
