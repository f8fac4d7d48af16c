import { constants } from "node:fs";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { remoteEngineReason } from "../../runtime/local-engine.js";
import { FaultFs, buildFaultFs } from "./fault-fs.js";

/** Whether fault-fs can run here, and if not, why. */
export type FaultFsSupport = { supported: true } | { supported: false; reason: string };

let probed: Promise<FaultFsSupport> | undefined;

/**
 * Checks (once per process) that fault-fs can be built and mounted on this machine and that the
 * Docker engine runs here too (a local unix socket): a remote engine cannot bind-mount this host's
 * FUSE mount, and its pids are not ours to signal. Every power cut still proves its container.
 */
export function faultFsSupport(): Promise<FaultFsSupport> {
  probed ??= probe();
  return probed;
}

function unsupported(reason: string): FaultFsSupport {
  return { supported: false, reason: `fault-fs unsupported here: ${reason}` };
}

async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    try {
      await access(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

async function probe(): Promise<FaultFsSupport> {
  if (process.platform !== "linux") return unsupported(`FUSE needs Linux, this is ${process.platform}`);
  try {
    await access("/dev/fuse", constants.R_OK | constants.W_OK);
  } catch (err) {
    return unsupported(`/dev/fuse is not usable (${(err as NodeJS.ErrnoException).code ?? String(err)}); needs read/write access to it, and in a container --device /dev/fuse --cap-add SYS_ADMIN`);
  }
  const root = process.getuid?.() === 0;
  if (!root) {
    if (!(await onPath("fusermount3"))) return unsupported("not root and fusermount3 (Debian package fuse3) is not on PATH");
    const conf = await readFile("/etc/fuse.conf", "utf8").catch(() => "");
    if (!/^\s*user_allow_other\b/m.test(conf)) return unsupported("not root and /etc/fuse.conf lacks user_allow_other (needed for -o allow_other)");
  }
  try {
    await buildFaultFs();
  } catch (err) {
    return unsupported((err as Error).message);
  }
  // Only a real mount proves the kernel lets us (containers often expose /dev/fuse but forbid mount).
  const backingDir = await mkdtemp(path.join(tmpdir(), "fault-fs-probe-"));
  try {
    const mounted = await FaultFs.mount({ backingDir, mountTimeoutMs: 5_000 });
    await mounted.unmount();
  } catch (err) {
    return unsupported(`trial mount failed: ${(err as Error).message}`);
  } finally {
    await rm(backingDir, { recursive: true, force: true });
  }
  const remote = await remoteEngineReason();
  return remote ? unsupported(remote) : { supported: true };
}
