import { dockerEngine } from "../runtime/docker-engine.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import type { MountedFaultFs } from "./fault-fs/fault-fs.js";
import type { FaultContext } from "./fault.js";

/**
 * Power loss as Jepsen's LazyFS does it: SIGKILL (no shutdown code runs) and drop every write not
 * covered by an fsync. Measures what was unsynced at the cut and how much was lost.
 */
export async function cutPower(node: StartedRedisNode, faultFs: MountedFaultFs, ctx: FaultContext): Promise<void> {
  await killWithoutWaiting(node);
  // Cut before the process is gone: a process killed inside a FUSE fsync is only reaped once that
  // fsync returns, and waiting for it would make its data durable, which a power cut never does.
  const atCut = await faultFs.status();
  await faultFs.loseUnsynced();
  await node.waitUntilExited();
  // Whatever reached the filesystem between the cut and the process's death came after the power went.
  await faultFs.loseUnsynced();
  const after = await faultFs.status();
  ctx.measure?.("fsyncsBeforeCut", atCut.fsyncs);
  ctx.measure?.("unsyncedAtCut", atCut.files.map((f) => `${f.path.replace(/^\//, "")} ${f.pendingBytes}/${f.size} B`).join(", ") || "nothing");
  ctx.measure?.("lostBytes", after.lostBytes - atCut.lostBytes);
}

/**
 * SIGKILLs the container's main process through its host pid: `docker kill` only returns once the
 * process has exited, i.e. after an fsync it was blocked in has completed.
 */
async function killWithoutWaiting(node: StartedRedisNode): Promise<void> {
  const { State } = await (await dockerEngine()).getContainer(node.shortId).inspect();
  if (!State.Running) return;
  try {
    process.kill(State.Pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
