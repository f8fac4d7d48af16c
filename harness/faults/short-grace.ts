import type { Fault } from "./fault.js";
import { shortGraceOutcome } from "./process-proofs.js";

/** A stop grace shorter than the final save of a large dataset, in ms. */
export const SHORT_GRACE_MS = 1_000;

/**
 * `docker stop -t 1` on a dataset whose shutdown SAVE takes longer: SIGKILL lands mid-save, which
 * the exit code and the log must show. A server with no final save has nothing to interrupt.
 */
export function shortGraceWith(graceMs: number): Fault {
  return {
    name: "short-grace",
    description: `SIGTERM with ${graceMs / 1000} s grace while the shutdown save takes longer, then start the same container`,
    // Measured here: a 512 MiB dataset takes about 3.3 s to SAVE, three times the grace.
    datasetMiB: 512,
    async inject(node, ctx) {
      const { exitCode } = await node.stop(graceMs);
      const outcome = shortGraceOutcome(exitCode, await node.logs());
      if ("proof" in outcome) ctx.prove?.(outcome.proof);
      else ctx.notApplicable?.(outcome.notApplicable);
    },
    heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
  };
}

/** The short grace of the process-fault matrix. */
export const shortGrace: Fault = shortGraceWith(SHORT_GRACE_MS);
