import type { Fault } from "./fault.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

/** How long every fsync takes while the fault holds: past the 2 s Redis waits before writing anyway. */
export const SLOW_FSYNC_DELAY_MS = 2_500;

/** How long writes go on against the slow disk before the process ends. */
export const SLOW_FSYNC_HOLD_MS = 4_000;

/** How the process ends on the slow disk: a crash (the page cache survives) or a power cut. */
export type SlowFsyncEnding = "kill" | "power-loss";

/**
 * Every fsync takes SLOW_FSYNC_DELAY_MS for SLOW_FSYNC_HOLD_MS of writes; then SIGKILL, or a power
 * cut. Measures `aof_delayed_fsync` (how often Redis stopped waiting and wrote anyway).
 */
export function slowFsync<E extends SlowFsyncEnding>(ending: E): Fault<`slow-fsync-${E}`> {
  const name = `slow-fsync-${ending}` as const;
  return {
    name,
    description: `every fsync takes ${SLOW_FSYNC_DELAY_MS} ms for ${SLOW_FSYNC_HOLD_MS} ms of writes, then ${ending === "kill" ? "SIGKILL" : "a power cut"}, then start the same container`,
    async inject(node, ctx) {
      const faultFs = faultFsOf(ctx, name);
      await faultFs.fsyncDelay(SLOW_FSYNC_DELAY_MS);
      try {
        await new Promise((resolve) => setTimeout(resolve, SLOW_FSYNC_HOLD_MS));
        const delayed = (await node.info("persistence")).get("aof_delayed_fsync");
        ctx.measure?.("aofDelayedFsync", delayed === undefined ? "n/a (no AOF)" : Number(delayed));
        if (ending === "power-loss") {
          await cutPower(node, faultFs, ctx);
        } else {
          await node.signal("SIGKILL");
          await node.waitUntilExited();
        }
      } finally {
        await faultFs.clearFaults();
      }
    },
    heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
  };
}
