import type { Fault } from "./fault.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";
import { killProof } from "./process-proofs.js";

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
        const persistence = await node.info("persistence");
        const delayed = Number(persistence.get("aof_delayed_fsync") ?? 0);
        ctx.measure?.("aofDelayedFsync", persistence.get("aof_enabled") === "1" ? delayed : "n/a (no AOF)");
        // The slow disk bit only if Redis met it: it gave up waiting for an fsync and wrote anyway.
        if (persistence.get("aof_enabled") === "1") {
          ctx.prove?.({ claim: `Redis met a slow fsync (aof_delayed_fsync > 0 after ${SLOW_FSYNC_HOLD_MS} ms of ${SLOW_FSYNC_DELAY_MS} ms fsyncs)`, held: delayed > 0, seen: `aof_delayed_fsync ${delayed}` });
        }
        if (ending === "power-loss") {
          await cutPower(node, faultFs, ctx);
        } else {
          await node.signal("SIGKILL");
          const { exitCode } = await node.waitUntilExited();
          ctx.prove?.(killProof(exitCode, await node.logs()));
        }
      } finally {
        await faultFs.clearFaults();
      }
    },
    heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
  };
}
