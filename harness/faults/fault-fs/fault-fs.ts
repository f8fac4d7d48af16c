import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, realpath, rmdir, stat, writeFile } from "node:fs/promises";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Default mount points live here, as `<owner-pid>-<random>`, so a sweep can find them. */
export const FAULT_FS_MOUNT_ROOT = "/tmp/redis-persistence-fault-fs";

/** The hidden control file at the root of every fault-fs mount. */
export const FAULT_FS_CONTROL_FILE = ".fault-fs-control";

const FS_TYPE = "fuse.fault-fs";
const FSNAME_PREFIX = "fault-fs-";
const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BUILD_SCRIPT = path.join(PROJECT_ROOT, "scripts", "build-fault-fs.sh");
const POLL_MS = 20;

/** One successful fsync (or O_SYNC write, or directory fsync) as fault-fs logged it. Times: ms since the epoch, host clock. */
export interface FsyncRecord {
  /** The path through the mount, with a leading slash, at the time of the fsync. */
  path: string;
  /** When the file's pending writes were applied: what was written before this is durable. */
  atMs: number;
  /** Bytes this fsync made durable (0: nothing was pending). */
  bytes: number;
  /** When the latest write(2) this fsync made durable arrived; null when it made nothing durable. */
  lastWriteMs: number | null;
  /** Power cuts (lose-unsynced) before this fsync: records with the count at a cut's status came before it. */
  losses: number;
  /** A directory fsync: in dir-fsync mode it makes that directory's names durable. */
  dir: boolean;
  /** Made under fsync-lies: reported success, made nothing durable (bytes: what it was asked to). */
  lied: boolean;
}

/** Counters and armed faults, as read from the control file. */
export interface FaultFsStatus {
  pendingFiles: number;
  pendingBytes: number;
  pendingOps: number;
  writes: number;
  writtenBytes: number;
  /** fsync/fdatasync calls that succeeded. */
  fsyncs: number;
  /** fsync calls answered with EIO (injected, or overtaken by a power cut). */
  fsyncErrors: number;
  enospcErrors: number;
  /** lose-unsynced commands so far. */
  losses: number;
  lostBytes: number;
  tornKeptBytes: number;
  syncAlls: number;
  faults: {
    fsyncDelayMs: number;
    fsyncError: boolean;
    fsyncLies: boolean;
    enospcRemaining: number | null;
    tornTail: { path: string; bytes: number | null } | null;
  };
  /** Whether create/rename/unlink are durable only once their directory is fsynced. */
  dirFsyncMode: boolean;
  /** Namespace changes a power cut would undo now (dir-fsync mode). */
  uncommittedNames: number;
  committedNames: number;
  rolledBackNames: number;
  /** fsyncs logged since the mount; fsyncLog keeps the latest 1024 of them, oldest first. */
  fsyncLogTotal: number;
  fsyncLog: FsyncRecord[];
  files: { path: string; size: number; pendingBytes: number; pendingOps: number }[];
}

/** Where to mount and whose death makes the mount stale. */
export interface FaultFsMountOptions {
  /** The real directory data ends up in. */
  backingDir: string;
  /** Defaults to a fresh directory under FAULT_FS_MOUNT_ROOT (removed again on unmount). */
  mountPoint?: string;
  /** The process whose exit makes this mount stale (default: this process). */
  labelPid?: number;
  /** Lets other users (e.g. `redis` in a container) in; default true. */
  allowOther?: boolean;
  /** Start in dir-fsync mode (see MountedFaultFs.dirFsync); default false. */
  dirFsync?: boolean;
  mountTimeoutMs?: number;
}

let built: Promise<string> | undefined;

/** Set to a fault-fs binary to use it instead of building one (e.g. a deliberately weakened build). */
export const FAULT_FS_BINARY_ENV = "REDIS_PERSISTENCE_FAULT_FS_BINARY";

/** Builds (or finds the cached) fault-fs daemon and resolves to its path. */
export function buildFaultFs(): Promise<string> {
  const override = process.env[FAULT_FS_BINARY_ENV];
  if (override) return Promise.resolve(override);
  built ??= execFileAsync("bash", [BUILD_SCRIPT], { maxBuffer: 1 << 20 }).then(
    ({ stdout }) => stdout.trim().split("\n").pop() ?? "",
    (err: unknown) => {
      built = undefined;
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`building fault-fs failed: ${stderr || (err as Error).message}`);
    },
  );
  return built;
}

interface MountEntry {
  source: string;
  mountPoint: string;
  type: string;
}

function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

async function readMounts(): Promise<MountEntry[]> {
  const text = await readFile("/proc/mounts", "utf8");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [source = "", mountPoint = "", type = ""] = line.split(" ");
      return { source: unescapeMountField(source), mountPoint: unescapeMountField(mountPoint), type };
    });
}

async function isFaultFsMounted(mountPoint: string): Promise<boolean> {
  return (await readMounts()).some((m) => m.mountPoint === mountPoint && m.type === FS_TYPE);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function unmountPath(mountPoint: string, lazy: boolean): Promise<void> {
  try {
    await execFileAsync("fusermount3", ["-u", ...(lazy ? ["-z"] : []), mountPoint]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await execFileAsync("umount", [...(lazy ? ["-l"] : []), mountPoint]);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function waitForExit(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
}

/** A running fault-fs mount and the commands that inject faults into it. */
export class MountedFaultFs {
  /** The control file's path; readable for status, writable for commands. */
  readonly controlPath: string;
  private unmounting: Promise<void> | undefined;

  constructor(
    readonly mountPoint: string,
    readonly backingDir: string,
    readonly ownerPid: number,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly createdMountPoint: boolean,
    private readonly stderr: () => string,
  ) {
    this.controlPath = path.join(mountPoint, FAULT_FS_CONTROL_FILE);
  }

  /** The daemon's pid. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends one command line to the daemon; rejects (EINVAL) when it refuses it. */
  async command(line: string): Promise<void> {
    try {
      await writeFile(this.controlPath, `${line}\n`, { flag: "r+" });
    } catch (err) {
      throw new Error(`fault-fs command "${line}" failed: ${(err as Error).message}`);
    }
  }

  /** Power cut: every write not covered by an fsync is dropped. */
  loseUnsynced(): Promise<void> {
    return this.command("lose-unsynced");
  }

  /** Clean shutdown: every pending write reaches the backing directory. */
  syncAll(): Promise<void> {
    return this.command("sync-all");
  }

  /** Every later fsync takes at least this long. */
  fsyncDelay(delayMs: number): Promise<void> {
    return this.command(`fsync-delay ${nonNegativeInt(delayMs, "delayMs")}`);
  }

  /** Every later fsync fails with EIO; its data stays pending (not durable). */
  fsyncError(): Promise<void> {
    return this.command("fsync-error");
  }

  /** Every later fsync (of files and directories) reports success and makes nothing durable: a disk that ignores flushes. */
  fsyncLies(): Promise<void> {
    return this.command("fsync-lies");
  }

  /** Writes fail with ENOSPC once this many more bytes have been written. */
  enospcAfter(bytes: number): Promise<void> {
    return this.command(`enospc-after ${nonNegativeInt(bytes, "bytes")}`);
  }

  /** Removes fsync-delay, fsync-error, fsync-lies, enospc-after and an armed torn-tail. */
  clearFaults(): Promise<void> {
    return this.command("clear-faults");
  }

  /**
   * dir-fsync mode: create, rename and unlink become durable only once their parent directory is
   * fsynced (a rename: its destination's directory), like ext4 without `dirsync`; loseUnsynced
   * undoes the others, newest first. Turning it off makes every pending change durable.
   */
  dirFsync(on: boolean): Promise<void> {
    return this.command(`dir-fsync ${on ? "on" : "off"}`);
  }

  /** On the next loseUnsynced, relPath keeps its earlier pending writes and a prefix of its last one. */
  tornTail(relPath: string, bytes?: number): Promise<void> {
    if (/\s/.test(relPath) || relPath.length === 0) throw new Error(`torn-tail path must be non-empty without whitespace: ${relPath}`);
    const suffix = bytes === undefined ? "" : ` ${nonNegativeInt(bytes, "bytes")}`;
    return this.command(`torn-tail ${relPath}${suffix}`);
  }

  /** Counters, pending state and armed faults. */
  async status(): Promise<FaultFsStatus> {
    return JSON.parse(await readFile(this.controlPath, "utf8")) as FaultFsStatus;
  }

  /** Unmounts (pending data is lost, as in a power cut), then waits for the daemon to exit. */
  unmount(): Promise<void> {
    this.unmounting ??= this.doUnmount();
    return this.unmounting;
  }

  private async doUnmount(): Promise<void> {
    const deadline = Date.now() + 2_000;
    while (await isFaultFsMounted(this.mountPoint)) {
      try {
        await unmountPath(this.mountPoint, Date.now() > deadline);
      } catch (err) {
        // EBUSY while something (a container, a straggling fd) still uses it: retry, then go lazy.
        if (Date.now() > deadline + 2_000) throw new Error(`cannot unmount ${this.mountPoint}: ${(err as Error).message}`);
        await sleep(100);
      }
    }
    if (!(await waitForExit(this.child, this.exited, 2_000))) {
      this.child.kill("SIGTERM");
      if (!(await waitForExit(this.child, this.exited, 2_000))) {
        this.child.kill("SIGKILL");
        await waitForExit(this.child, this.exited, 2_000);
      }
    }
    if (this.createdMountPoint) await rmdir(this.mountPoint).catch(() => undefined);
  }

  /** What the daemon wrote to stderr (for diagnostics). */
  daemonLog(): string {
    return this.stderr();
  }
}

function nonNegativeInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Mounts fault-fs over a backing directory. */
export class FaultFs {
  /** Starts the daemon and resolves once the mount is live; on failure nothing is left behind. */
  static async mount(options: FaultFsMountOptions): Promise<MountedFaultFs> {
    const binary = await buildFaultFs();
    const ownerPid = options.labelPid ?? process.pid;
    const backingDir = await realpath(options.backingDir);
    if (!(await stat(backingDir)).isDirectory()) throw new Error(`backingDir is not a directory: ${backingDir}`);

    let mountPoint: string;
    const created = options.mountPoint === undefined;
    if (options.mountPoint === undefined) {
      await mkdir(FAULT_FS_MOUNT_ROOT, { recursive: true, mode: 0o755 });
      mountPoint = await realpath(await mkdtemp(path.join(FAULT_FS_MOUNT_ROOT, `${ownerPid}-`)));
    } else {
      await mkdir(options.mountPoint, { recursive: true });
      mountPoint = await realpath(options.mountPoint);
      if (await isFaultFsMounted(mountPoint)) throw new Error(`a fault-fs is already mounted on ${mountPoint}`);
    }

    const mountOpts = [`fsname=${FSNAME_PREFIX}${ownerPid}`, ...(options.allowOther === false ? [] : ["allow_other"])];
    const child = spawn(binary, ["-f", "-o", mountOpts.join(","), `--owner-pid=${ownerPid}`, backingDir, mountPoint], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));

    const mounted = new MountedFaultFs(mountPoint, backingDir, ownerPid, child, exited, created, () => stderr);
    const deadline = Date.now() + (options.mountTimeoutMs ?? 10_000);
    try {
      for (;;) {
        if (await isFaultFsMounted(mountPoint)) break;
        const failure = await Promise.race([spawnError, exited.then(() => null), sleep(POLL_MS).then(() => undefined)]);
        if (failure instanceof Error) throw failure;
        if (failure === null) throw new Error(`fault-fs exited (code ${child.exitCode}, signal ${child.signalCode}) before mounting`);
        if (Date.now() > deadline) throw new Error(`fault-fs did not mount ${mountPoint} within ${options.mountTimeoutMs ?? 10_000} ms`);
      }
    } catch (err) {
      await mounted.unmount().catch(() => undefined);
      throw new Error(`${(err as Error).message}${stderr ? `; daemon said: ${stderr.trim()}` : ""}`);
    }
    if (options.dirFsync) {
      await mounted.dirFsync(true).catch(async (err: unknown) => {
        await mounted.unmount().catch(() => undefined);
        throw err;
      });
    }
    // A forgotten mount must not keep the test process alive; the daemon's owner watchdog cleans up.
    child.unref();
    (child.stderr as Socket | null)?.unref();
    return mounted;
  }
}

/** Unmounts fault-fs mounts whose owner pid is gone and removes their empty default mount points. */
export async function sweepStaleFaultFsMounts(): Promise<string[]> {
  const swept: string[] = [];
  for (const m of await readMounts()) {
    if (m.type !== FS_TYPE) continue;
    const owner = ownerOf(m);
    if (owner === undefined || pidAlive(owner)) continue;
    await unmountPath(m.mountPoint, true).then(
      () => swept.push(m.mountPoint),
      () => undefined,
    );
  }
  const entries = await readdir(FAULT_FS_MOUNT_ROOT).catch(() => [] as string[]);
  const stillMounted = new Set((await readMounts()).map((m) => m.mountPoint));
  for (const name of entries) {
    const owner = /^(\d+)-/.exec(name)?.[1];
    const dir = path.join(FAULT_FS_MOUNT_ROOT, name);
    if (owner === undefined || pidAlive(Number(owner)) || stillMounted.has(dir)) continue;
    await rmdir(dir).catch(() => undefined);
  }
  return swept;
}

function ownerOf(m: MountEntry): number | undefined {
  const fromName = m.source.startsWith(FSNAME_PREFIX) ? /^\d+$/.exec(m.source.slice(FSNAME_PREFIX.length))?.[0] : undefined;
  const fromDir =
    path.dirname(m.mountPoint) === FAULT_FS_MOUNT_ROOT ? /^(\d+)-/.exec(path.basename(m.mountPoint))?.[1] : undefined;
  const owner = fromName ?? fromDir;
  return owner === undefined ? undefined : Number(owner);
}
