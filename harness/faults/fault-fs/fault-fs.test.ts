import { spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { open as openAsync, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAULT_FS_CONTROL_FILE, FAULT_FS_MOUNT_ROOT, FaultFs, sweepStaleFaultFsMounts } from "./fault-fs.js";
import type { MountedFaultFs } from "./fault-fs.js";
import { faultFsSupport } from "./support.js";

let ffs: MountedFaultFs;
let backing: string;
const fds: number[] = [];

const m = (rel: string) => path.join(ffs.mountPoint, rel);
const b = (rel: string) => path.join(backing, rel);
const onMount = (rel: string) => readFileSync(m(rel), "latin1");
const onDisk = (rel: string) => readFileSync(b(rel), "latin1");

function open(rel: string, flags: string): number {
  const fd = openSync(m(rel), flags);
  fds.push(fd);
  return fd;
}

function mountedPoints(): string[] {
  return readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "");
}

function errnoOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
  return undefined;
}

beforeAll(async () => {
  const support = await faultFsSupport();
  if (!support.supported) throw new Error(support.reason);
});

beforeEach(async () => {
  backing = mkdtempSync(path.join(tmpdir(), "fault-fs-test-"));
  chmodSync(backing, 0o755);
  ffs = await FaultFs.mount({ backingDir: backing });
});

afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await ffs.unmount();
  rmSync(backing, { recursive: true, force: true });
});

describe("fault-fs pending writes", () => {
  it("reads its own unsynced writes while the backing file stays empty", () => {
    const fd = open("f", "w+");
    writeSync(fd, "hello world");
    const buf = Buffer.alloc(32);
    expect(buf.subarray(0, readSync(fd, buf, 0, 32, 0)).toString()).toBe("hello world");
    writeSync(fd, "HELLO", 0, "latin1");
    expect(onMount("f")).toBe("HELLO world");
    expect(onDisk("f")).toBe("");
  });

  it("reports sizes that include pending writes and truncations", () => {
    const fd = open("f", "w+");
    writeSync(fd, "x".repeat(1000));
    expect(fstatSync(fd).size).toBe(1000);
    expect(statSync(m("f")).size).toBe(1000);
    expect(statSync(b("f")).size).toBe(0);
    ftruncateSync(fd, 10);
    expect(statSync(m("f")).size).toBe(10);
    truncateSync(m("f"), 20);
    expect(statSync(m("f")).size).toBe(20);
    expect(onMount("f")).toBe("x".repeat(10) + "\0".repeat(10));
  });

  it("keeps fsynced data and drops unsynced appends on lose-unsynced", async () => {
    const fd = open("aof", "a");
    writeSync(fd, "synced;");
    fsyncSync(fd);
    writeSync(fd, "dropped;");
    writeSync(fd, "dropped-too;");
    expect(onDisk("aof")).toBe("synced;");
    await ffs.loseUnsynced();
    expect(onMount("aof")).toBe("synced;");
    expect(onDisk("aof")).toBe("synced;");
    const status = await ffs.status();
    expect(status.lostBytes).toBe("dropped;dropped-too;".length);
    expect(status.pendingFiles).toBe(0);
    // The same O_APPEND fd appends at the surviving end of file, not the kernel's stale one.
    writeSync(fd, "after;");
    fdatasyncSync(fd);
    expect(onDisk("aof")).toBe("synced;after;");
  });

  it("does not persist on close: a created, never fsynced file comes back empty", async () => {
    writeFileSync(m("new"), "content");
    expect(onMount("new")).toBe("content");
    expect(onDisk("new")).toBe("");
    await ffs.loseUnsynced();
    expect(existsSync(m("new"))).toBe(true);
    expect(statSync(m("new")).size).toBe(0);
  });

  it("moves pending state with rename; fsync after rename persists under the new name", async () => {
    writeFileSync(m("temp-1.rdb"), "snapshot");
    renameSync(m("temp-1.rdb"), m("dump.rdb"));
    expect(onMount("dump.rdb")).toBe("snapshot");
    expect((await ffs.status()).files.map((f) => f.path)).toEqual(["/dump.rdb"]);
    const fd = open("dump.rdb", "r");
    fsyncSync(fd);
    expect(onDisk("dump.rdb")).toBe("snapshot");
    expect(existsSync(b("temp-1.rdb"))).toBe(false);

    mkdirSync(m("dir"));
    writeFileSync(m("dir/a"), "nested");
    writeFileSync(m("victim"), "pending");
    renameSync(m("dir"), m("moved"));
    renameSync(m("moved/a"), m("victim"));
    expect(onMount("victim")).toBe("nested");
    await ffs.loseUnsynced();
    expect(onMount("victim")).toBe("");
    expect(onMount("dump.rdb")).toBe("snapshot");
  });

  it("drops pending state on unlink", async () => {
    writeFileSync(m("gone"), "pending");
    unlinkSync(m("gone"));
    expect((await ffs.status()).pendingFiles).toBe(0);
    writeFileSync(b("gone"), "");
    expect(onMount("gone")).toBe("");
  });

  it("treats truncation as a pending operation applied in order on fsync", async () => {
    writeFileSync(b("t"), "0123456789");
    const fd = open("t", "r+");
    ftruncateSync(fd, 4);
    expect(onMount("t")).toBe("0123");
    await ffs.loseUnsynced();
    expect(onMount("t")).toBe("0123456789");

    ftruncateSync(fd, 4);
    writeSync(fd, "X", 8, "latin1");
    expect(onMount("t")).toBe("0123\0\0\0\0X");
    fsyncSync(fd);
    expect(onDisk("t")).toBe("0123\0\0\0\0X");

    writeFileSync(m("t"), "new"); // O_TRUNC is pending too
    expect(onMount("t")).toBe("new");
    expect(onDisk("t")).toBe("0123\0\0\0\0X");
    await ffs.loseUnsynced();
    expect(onMount("t")).toBe("0123\0\0\0\0X");
  });

  it("honours O_SYNC writes as durable on return", async () => {
    const fd = open("s", "as");
    writeSync(fd, "durable");
    await ffs.loseUnsynced();
    expect(onMount("s")).toBe("durable");
  });

  it("sync-all flushes every file (clean shutdown)", async () => {
    writeFileSync(m("a"), "aaa");
    mkdirSync(m("sub"));
    writeFileSync(m("sub/b"), "bbb");
    await ffs.syncAll();
    expect(onDisk("a")).toBe("aaa");
    expect(onDisk("sub/b")).toBe("bbb");
    await ffs.loseUnsynced();
    expect(onMount("sub/b")).toBe("bbb");
  });
});

describe("fault-fs injected faults", () => {
  it("fsync-delay makes every fsync take at least that long", async () => {
    const fd = open("f", "w");
    writeSync(fd, "x");
    await ffs.fsyncDelay(200);
    let start = performance.now();
    fsyncSync(fd);
    expect(performance.now() - start).toBeGreaterThanOrEqual(200);
    await ffs.clearFaults();
    start = performance.now();
    fdatasyncSync(fd);
    expect(performance.now() - start).toBeLessThan(150);
  });

  it("an fsync still in flight when the power is cut fails with EIO", async () => {
    const handle = await openAsync(m("f"), "w");
    try {
      await handle.write("lost");
      await ffs.fsyncDelay(400);
      const sync = handle.sync().then(
        () => "ok",
        (err: NodeJS.ErrnoException) => err.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await ffs.loseUnsynced();
      expect(await sync).toBe("EIO");
      expect(onDisk("f")).toBe("");
    } finally {
      await handle.close();
    }
  });

  it("fsync-error fails fsync with EIO and leaves the data pending, not durable", async () => {
    const fd = open("f", "w");
    writeSync(fd, "maybe");
    await ffs.fsyncError();
    expect(errnoOf(() => fsyncSync(fd))).toBe("EIO");
    expect(errnoOf(() => fdatasyncSync(fd))).toBe("EIO");
    expect(onMount("f")).toBe("maybe");
    expect(onDisk("f")).toBe("");
    expect((await ffs.status()).fsyncErrors).toBe(2);
    await ffs.clearFaults();
    fsyncSync(fd);
    expect(onDisk("f")).toBe("maybe");
  });

  it("enospc-after gives a short write, then ENOSPC, until clear-faults", async () => {
    const fd = open("f", "w");
    await ffs.enospcAfter(10);
    expect(writeSync(fd, "123456")).toBe(6);
    expect(writeSync(fd, "abcdef")).toBe(4);
    expect(errnoOf(() => writeSync(fd, "z"))).toBe("ENOSPC");
    expect(onMount("f")).toBe("123456abcd");
    await ffs.clearFaults();
    expect(writeSync(fd, "z")).toBe(1);
  });

  it("clear-faults resets every armed fault", async () => {
    await ffs.fsyncDelay(50);
    await ffs.fsyncError();
    await ffs.enospcAfter(1);
    await ffs.tornTail("x", 3);
    await ffs.fsyncLies();
    expect((await ffs.status()).faults).toEqual({
      fsyncDelayMs: 50,
      fsyncError: true,
      fsyncLies: true,
      enospcRemaining: 1,
      tornTail: { path: "/x", bytes: 3 },
    });
    await ffs.clearFaults();
    expect((await ffs.status()).faults).toEqual({ fsyncDelayMs: 0, fsyncError: false, fsyncLies: false, enospcRemaining: null, tornTail: null });
  });

  it("torn-tail keeps earlier unsynced writes and a prefix of the last one", async () => {
    mkdirSync(m("appendonlydir"));
    const fd = open("appendonlydir/a.aof", "a");
    writeSync(fd, "SYNCED|");
    fsyncSync(fd);
    writeSync(fd, "first|");
    writeSync(fd, "12345678");
    await ffs.tornTail("appendonlydir/a.aof");
    await ffs.loseUnsynced();
    expect(onMount("appendonlydir/a.aof")).toBe("SYNCED|first|1234");
    expect((await ffs.status()).tornKeptBytes).toBe(10);

    writeSync(fd, "abcdefgh");
    await ffs.tornTail("/appendonlydir/a.aof", 3);
    await ffs.loseUnsynced();
    expect(onMount("appendonlydir/a.aof")).toBe("SYNCED|first|1234abc");
    expect((await ffs.status()).faults.tornTail).toBeNull(); // one-shot

    writeSync(fd, "zzzz");
    await ffs.loseUnsynced();
    expect(onMount("appendonlydir/a.aof")).toBe("SYNCED|first|1234abc");
  });
});

describe("fault-fs fsync log", () => {
  it("logs each fsync with its path, time, the bytes it made durable and its latest write", async () => {
    const before = Date.now();
    const fd = open("appendonly.aof", "a");
    writeSync(fd, "12345");
    writeSync(fd, "678");
    fdatasyncSync(fd);
    fsyncSync(fd); // nothing pending any more
    const dirFd = openSync(ffs.mountPoint, "r");
    fds.push(dirFd);
    fsyncSync(dirFd);
    const after = Date.now();
    const { fsyncLog, fsyncLogTotal } = await ffs.status();
    expect(fsyncLogTotal).toBe(3);
    expect(fsyncLog.map(({ path, bytes, dir }) => ({ path, bytes, dir }))).toEqual([
      { path: "/appendonly.aof", bytes: 8, dir: false },
      { path: "/appendonly.aof", bytes: 0, dir: false },
      { path: "/", bytes: 0, dir: true },
    ]);
    const [first, second] = fsyncLog;
    expect(first?.lastWriteMs).toBeGreaterThanOrEqual(before);
    expect(first?.atMs).toBeGreaterThanOrEqual(first?.lastWriteMs ?? Infinity);
    expect(fsyncLog.at(-1)?.atMs).toBeLessThanOrEqual(after);
    expect(second?.lastWriteMs).toBeNull();
  });

  it("fsync-lies: fsyncs succeed and are logged as asked, but a power cut drops their data and names", async () => {
    await ffs.dirFsync(true);
    await ffs.fsyncLies();
    const fd = open("f", "w");
    writeSync(fd, "abc");
    fsyncSync(fd);
    const dirFd = openSync(ffs.mountPoint, "r");
    fds.push(dirFd);
    fsyncSync(dirFd);
    const { fsyncLog } = await ffs.status();
    expect(fsyncLog.map(({ path, bytes, lied, losses }) => ({ path, bytes, lied, losses }))).toEqual([
      { path: "/f", bytes: 3, lied: true, losses: 0 },
      { path: "/", bytes: 0, lied: true, losses: 0 },
    ]);
    await ffs.loseUnsynced();
    expect(readdirSync(ffs.mountPoint)).toEqual([]);
    await ffs.clearFaults();
    writeFileSync(m("g"), "g");
    fsyncSync(dirFd);
    expect((await ffs.status()).fsyncLog.at(-1)).toMatchObject({ path: "/", lied: false, losses: 1 });
  });

  it("does not log a failed fsync", async () => {
    const fd = open("f", "w");
    writeSync(fd, "x");
    await ffs.fsyncError();
    expect(errnoOf(() => fsyncSync(fd))).toBe("EIO");
    expect((await ffs.status()).fsyncLog).toEqual([]);
  });
});

describe("fault-fs dir-fsync mode", () => {
  const fsyncDir = (rel: string) => {
    const fd = openSync(m(rel), "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  const durableFile = (rel: string, content: string) => {
    writeFileSync(m(rel), content);
    const fd = openSync(m(rel), "r+");
    fsyncSync(fd);
    closeSync(fd);
  };

  beforeEach(async () => {
    await ffs.dirFsync(true);
  });

  it("a created file disappears unless its directory was fsynced, even when its data was", async () => {
    durableFile("kept", "synced data and name");
    fsyncDir(".");
    durableFile("lost", "synced data, unsynced name");
    expect((await ffs.status()).uncommittedNames).toBe(1);
    await ffs.loseUnsynced();
    expect(readdirSync(ffs.mountPoint)).toEqual(["kept"]);
    expect(onMount("kept")).toBe("synced data and name");
    expect((await ffs.status()).rolledBackNames).toBe(1);
  });

  it("a rename over an existing file is undone by a power cut: the old file comes back, the temp file goes", async () => {
    durableFile("dump.rdb", "old snapshot");
    fsyncDir(".");
    durableFile("temp-42.rdb", "new snapshot");
    renameSync(m("temp-42.rdb"), m("dump.rdb"));
    expect(onMount("dump.rdb")).toBe("new snapshot");
    await ffs.loseUnsynced();
    expect(onMount("dump.rdb")).toBe("old snapshot");
    expect(existsSync(m("temp-42.rdb"))).toBe(false);
    expect(readdirSync(backing).sort()).toEqual([".fault-fs-stash", "dump.rdb"]);
  });

  it("a rename followed by an fsync of its directory survives the power cut", async () => {
    durableFile("dump.rdb", "old snapshot");
    fsyncDir(".");
    durableFile("temp-42.rdb", "new snapshot");
    renameSync(m("temp-42.rdb"), m("dump.rdb"));
    fsyncDir(".");
    await ffs.loseUnsynced();
    expect(onMount("dump.rdb")).toBe("new snapshot");
    expect(existsSync(m("temp-42.rdb"))).toBe(false);
    expect(readdirSync(path.join(backing, ".fault-fs-stash"))).toEqual([]);
  });

  it("a rename over a file that was never there leaves nothing after the cut (no previous snapshot)", async () => {
    durableFile("temp-7.rdb", "first snapshot");
    renameSync(m("temp-7.rdb"), m("dump.rdb"));
    await ffs.loseUnsynced();
    expect(readdirSync(ffs.mountPoint)).toEqual([]);
  });

  it("a rename into another directory is durable once the destination's directory is fsynced", async () => {
    mkdirSync(m("appendonlydir"));
    fsyncDir(".");
    durableFile("temp-rewrite.aof", "base");
    renameSync(m("temp-rewrite.aof"), m("appendonlydir/appendonly.aof.2.base.rdb"));
    fsyncDir("appendonlydir");
    await ffs.loseUnsynced();
    expect(readdirSync(m("appendonlydir"))).toEqual(["appendonly.aof.2.base.rdb"]);
    expect(readdirSync(ffs.mountPoint)).toEqual(["appendonlydir"]);
  });

  it("an unlinked file comes back with its durable content; a removed directory comes back", async () => {
    durableFile("keep", "durable");
    mkdirSync(m("empty"));
    fsyncDir(".");
    const fd = open("keep", "a");
    writeSync(fd, " and pending");
    unlinkSync(m("keep"));
    rmSync(m("empty"), { recursive: true });
    expect(existsSync(m("keep"))).toBe(false);
    await ffs.loseUnsynced();
    expect(onMount("keep")).toBe("durable");
    expect(statSync(m("empty")).isDirectory()).toBe(true);
  });

  it("a directory created since the last fsync of its parent vanishes with what is inside", async () => {
    mkdirSync(m("sub"));
    durableFile("sub/f", "inside");
    fsyncDir("sub");
    await ffs.loseUnsynced();
    expect(existsSync(m("sub"))).toBe(false);
  });

  it("hides its stash through the mount; sync-all and turning the mode off make every change durable", async () => {
    durableFile("a", "a");
    fsyncDir(".");
    unlinkSync(m("a"));
    expect(readdirSync(ffs.mountPoint)).toEqual([]);
    expect(errnoOf(() => statSync(m(".fault-fs-stash")))).toBe("ENOENT");
    writeFileSync(m("b"), "b");
    await ffs.syncAll();
    await ffs.loseUnsynced();
    expect(readdirSync(ffs.mountPoint)).toEqual(["b"]);
    writeFileSync(m("c"), "c");
    await ffs.dirFsync(false);
    expect((await ffs.status()).dirFsyncMode).toBe(false);
    await ffs.loseUnsynced();
    expect(readdirSync(ffs.mountPoint).sort()).toEqual(["b", "c"]);
  });
});

describe("fault-fs mount", () => {
  it("hides the control file, rejects unknown commands and reports status", async () => {
    expect(readdirSync(ffs.mountPoint)).not.toContain(FAULT_FS_CONTROL_FILE);
    await expect(ffs.command("explode")).rejects.toThrow(/EINVAL|invalid argument/i);
    await expect(ffs.command("fsync-delay soon")).rejects.toThrow(/EINVAL|invalid argument/i);
    writeFileSync(m("f"), "abc");
    const status = await ffs.status();
    expect(status).toMatchObject({ pendingFiles: 1, pendingBytes: 3, writes: 1 });
    expect(status.files).toEqual([{ path: "/f", size: 3, pendingBytes: 3, pendingOps: 1 }]);
  });

  it("gives new files to the calling user and lets the kernel check permissions", () => {
    mkdirSync(m("shared"), { mode: 0o777 });
    chmodSync(m("shared"), 0o777);
    writeFileSync(m("root-only"), "secret");
    chmodSync(m("root-only"), 0o600);
    const asNobody = (script: string) =>
      spawnSync("sh", ["-c", script], { cwd: ffs.mountPoint, uid: 65534, gid: 65534, encoding: "utf8" });
    expect(asNobody("umask 022 && echo hi > shared/mine && cat shared/mine").stdout).toBe("hi\n");
    const st = statSync(b("shared/mine"));
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([65534, 65534, 0o644]);
    expect(asNobody("cat root-only").status).not.toBe(0);
  });

  it("unmount leaves no mount, no daemon and no default mount point", async () => {
    const { mountPoint, pid } = ffs;
    expect(mountPoint.startsWith(`${FAULT_FS_MOUNT_ROOT}/${process.pid}-`)).toBe(true);
    await ffs.unmount();
    expect(mountedPoints()).not.toContain(mountPoint);
    expect(errnoOf(() => process.kill(pid, 0))).toBe("ESRCH");
    expect(existsSync(mountPoint)).toBe(false);
  });

  it("a mount whose owner pid is gone gets unmounted (daemon watchdog or sweep)", async () => {
    const deadPid = spawnSync("true").pid;
    const orphan = await FaultFs.mount({ backingDir: backing, labelPid: deadPid });
    try {
      await sweepStaleFaultFsMounts();
      const deadline = Date.now() + 5_000;
      while (mountedPoints().includes(orphan.mountPoint) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(mountedPoints()).not.toContain(orphan.mountPoint);
      await orphan.unmount();
      expect(errnoOf(() => process.kill(orphan.pid, 0))).toBe("ESRCH");
      await sweepStaleFaultFsMounts();
      expect(existsSync(orphan.mountPoint)).toBe(false);
    } finally {
      await orphan.unmount();
    }
    expect(await readFile(ffs.controlPath, "utf8")).toContain("pendingFiles");
  });
});
