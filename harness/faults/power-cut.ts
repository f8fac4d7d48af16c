import type { StartedRedisNode } from "../runtime/redis-node.js";
import { systemClock } from "../workload/clock.js";
import { aofHoldsUnsyncedWrites, askPersistencePolicy, describePolicy, persistsAnything } from "./persistence-policy.js";
import type { PersistencePolicy } from "./persistence-policy.js";
import { proveContainerOnFaultFs } from "./container-on-fault-fs.js";
import type { FaultFsStatus, MountedFaultFs } from "./fault-fs/fault-fs.js";
import type { FaultContext } from "./fault.js";
import { LAST_FSYNC_MARK, isAofPath, lastDurableAofPoint } from "./last-fsync.js";
import { killProof } from "./process-proofs.js";
import { awaitUnsyncedAof, describeMoment } from "./unsynced-moment.js";

// Two everysec fsync periods: a server that writes has shown an unsynced moment well before.
const MOMENT_DEADLINE_MS = 2_500;

/**
 * Power loss as Jepsen's LazyFS does it: SIGKILL (no shutdown code runs) and drop every write not
 * covered by an fsync. Refuses (PowerCutRefused) unless the container's /data is this fault-fs mount
 * and its pid is proven to be a process of this host. An AOF that does not fsync every write is cut
 * at a moment fault-fs shows it holding unsynced bytes (unsynced-moment.ts). Proves that fault-fs saw writes and, for an
 * AOF that does not fsync every write, that it held unsynced AOF bytes at the cut; marks the last
 * point an AOF fsync made durable (LAST_FSYNC_MARK) from fault-fs's fsync log and Redis's log.
 */
export async function cutPower(node: StartedRedisNode, faultFs: MountedFaultFs, ctx: FaultContext, options: { serverMayHaveExited?: boolean } = {}): Promise<void> {
  const container = await proveContainerOnFaultFs(node.shortId, faultFs);
  // A cut of a server that was already down proves nothing about what a power cut loses.
  if (!container.running && !options.serverMayHaveExited) ctx.prove?.({ claim: "the server was running when the power went", held: false, seen: container.seen });
  const policy = container.running ? await askPersistencePolicy(node) : undefined;
  if (policy?.known && aofHoldsUnsyncedWrites(policy)) {
    const moment = await awaitUnsyncedAof(() => faultFs.status(), { deadlineMs: MOMENT_DEADLINE_MS, periodic: policy.appendfsync === "everysec" });
    ctx.measure?.("cutMoment", describeMoment(moment));
  }
  if (container.running) killWithoutWaiting(container.hostPid);
  // Cut before the process is gone: a process killed inside a FUSE fsync is only reaped once that
  // fsync returns, and waiting for it would make its data durable, which a power cut never does.
  const atCut = await faultFs.status();
  await faultFs.loseUnsynced();
  const { exitCode } = await node.waitUntilExited();
  // Whatever reached the filesystem between the cut and the process's death came after the power went.
  await faultFs.loseUnsynced();
  const after = await faultFs.status();
  ctx.measure?.("fsyncsBeforeCut", atCut.fsyncs);
  ctx.measure?.("unsyncedAtCut", atCut.files.map((f) => `${f.path.replace(/^\//, "")} ${f.pendingBytes}/${f.size} B`).join(", ") || "nothing");
  ctx.measure?.("lostBytes", after.lostBytes - atCut.lostBytes);
  if (atCut.dirFsyncMode) ctx.measure?.("namesRolledBack", after.rolledBackNames - atCut.rolledBackNames);
  if (policy) proveBit(ctx, policy, atCut, container.seen);
  const log = await node.logs();
  if (container.running) ctx.prove?.(killProof(exitCode, log));
  markLastFsync(ctx, after, atCut.losses, container.startedAtMs, log);
}

/** The cut bit: fault-fs saw the server's writes (when it persists anything) and held unsynced AOF bytes (when its AOF leaves some). */
function proveBit(ctx: FaultContext, policy: PersistencePolicy, atCut: FaultFsStatus, containerSeen: string): void {
  if (!policy.known) {
    ctx.prove?.({ claim: "the server said how it persists (CONFIG GET appendonly, appendfsync, save)", held: false, seen: policy.why });
    return;
  }
  ctx.measure?.("persistence", describePolicy(policy));
  if (persistsAnything(policy)) {
    ctx.prove?.({ claim: "fault-fs saw writes on the container's /data", held: atCut.writes > 0, seen: `${atCut.writes} writes (${atCut.writtenBytes} B); ${containerSeen}` });
  }
  if (!aofHoldsUnsyncedWrites(policy)) return;
  const pending = atCut.files.filter((f) => isAofPath(f.path) && f.pendingBytes > 0);
  ctx.prove?.({
    claim: `fault-fs held unsynced AOF bytes at the cut (appendfsync ${policy.appendfsync} does not fsync every write)`,
    held: pending.length > 0,
    seen: pending.map((f) => `${f.path} ${f.pendingBytes} B unsynced`).join(", ") || "no AOF file had unsynced bytes",
  });
}

function markLastFsync(ctx: FaultContext, status: FaultFsStatus, lossesAtCut: number, startedAtMs: number, redisLog: string): void {
  // The log keeps only the latest fsyncs; the ones it dropped cover older points, so the latest point is still in it.
  if (status.fsyncLogTotal > status.fsyncLog.length) ctx.measure?.("fsyncLogKept", `${status.fsyncLog.length} of ${status.fsyncLogTotal}`);
  const { point, problems } = lastDurableAofPoint({ fsyncLog: status.fsyncLog, lossesAtCut, redisLog, startedAtMs });
  // fault-fs and Redis stamp with the host's wall clock; the history with the workload's clock.
  const toWorkloadClock = systemClock.nowMs() - Date.now();
  ctx.mark?.(LAST_FSYNC_MARK, point.invokeAtMs + toWorkloadClock, point.okAtMs + toWorkloadClock);
  ctx.measure?.("lastFsync", point.basis);
  if (problems.length > 0) ctx.prove?.({ claim: "every AOF fsync fault-fs logged is accounted for", held: false, seen: problems.join("; ") });
}

/**
 * SIGKILLs the container's main process through its host pid (proven to be the container's):
 * `docker kill` only returns once the process has exited, i.e. after an fsync it was blocked in has completed.
 */
function killWithoutWaiting(hostPid: number): void {
  try {
    process.kill(hostPid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
