import { setTimeout as sleep } from "node:timers/promises";
import type { Fault } from "./fault.js";
import { logLines } from "./log-lines.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

/** How long Redis gets to stop by itself once fsync fails, before it is killed. */
export const FSYNC_ERROR_EXIT_WAIT_MS = 3_000;

// `always`: aof.c exits with the first; `everysec`: bio.c logs the second and Redis keeps running.
const FSYNC_LOG_LINE = /Can't persist AOF for fsync error|Fail to fsync the AOF file/;

/**
 * Every fsync fails with EIO while writes go on; Redis gets FSYNC_ERROR_EXIT_WAIT_MS to stop by
 * itself (it is SIGKILLed if it does not), then the power is cut (so nothing unsynced survives),
 * the fault is cleared and the same container starts. Measures whether and how Redis stopped.
 */
export const fsyncError: Fault<"fsync-error"> = {
  name: "fsync-error",
  description: `every fsync fails with EIO; ${FSYNC_ERROR_EXIT_WAIT_MS} ms for Redis to exit by itself, then a power cut, clear the fault, start the same container`,
  async inject(node, ctx) {
    const faultFs = faultFsOf(ctx, "fsync-error");
    await faultFs.fsyncError();
    try {
      const exited = await Promise.race([node.waitUntilExited(), sleep(FSYNC_ERROR_EXIT_WAIT_MS).then(() => undefined)]);
      ctx.measure?.("exitedByItself", exited ? `yes, exit code ${exited.exitCode}` : "no");
      const { fsyncErrors } = await faultFs.status();
      ctx.measure?.("fsyncErrors", fsyncErrors);
      ctx.prove?.({ claim: "Redis met a failing fsync (fault-fs answered EIO)", held: fsyncErrors > 0, seen: `${fsyncErrors} fsyncs failed` });
      ctx.measure?.("fsyncErrorLog", logLines(await node.logs(), FSYNC_LOG_LINE).at(-1) ?? "none");
      await cutPower(node, faultFs, ctx, { serverMayHaveExited: true });
    } finally {
      await faultFs.clearFaults();
    }
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
