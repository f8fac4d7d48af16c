import type { Fault } from "../../harness/faults/fault.js";
import { GRACEFUL_STOP_GRACE_MS, gracefulStop } from "../../harness/faults/graceful-stop.js";
import { dataMountProof, gracefulExitProof, killProof } from "../../harness/faults/process-proofs.js";
import { recreateWithoutVolume } from "../../harness/faults/recreate-without-volume.js";
import { shortGraceWith } from "../../harness/faults/short-grace.js";
import { sigkill } from "../../harness/faults/sigkill.js";

/** Faults that do less than the one they are named after: each must be caught by the real one's proof. */
export const WEAKENED_FAULTS = {
  /** "sigkill" that stops gracefully instead: exit code 0 and a shutdown in the log. */
  "sigkill-as-graceful-stop": {
    ...sigkill,
    async inject(node, ctx) {
      const { exitCode } = await node.stop(GRACEFUL_STOP_GRACE_MS);
      ctx.prove?.(killProof(exitCode, await node.logs()));
    },
  },
  /** "short-grace" with a 60 s grace: the final save completes, nothing is interrupted. */
  "short-grace-60s": shortGraceWith(60_000),
  /** "graceful-stop" with no grace at all: SIGKILL at once. */
  "graceful-stop-0s": {
    ...gracefulStop,
    async inject(node, ctx) {
      // Not `docker stop -t 0`: it sends SIGTERM first, and a server with no save points can finish
      // its shutdown before the SIGKILL lands (CI saw exactly that), so the weakening would not weaken.
      await node.signal("SIGKILL");
      const { exitCode } = await node.waitUntilExited();
      ctx.prove?.(gracefulExitProof(exitCode, await node.logs()));
    },
  },
  /** "recreate-without-volume" that keeps the volume: the new container finds the old data. */
  "recreate-without-volume-keeping-it": {
    ...recreateWithoutVolume,
    async heal(node, ctx) {
      const before = await node.dataMount();
      const recovered = await node.recreate(ctx.volume);
      ctx.prove?.(dataMountProof(before, await recovered.node.dataMount(), false));
      return recovered;
    },
  },
} satisfies Record<string, Fault>;

/** The name of a weakened fault. */
export type WeakenedFaultName = keyof typeof WEAKENED_FAULTS;
