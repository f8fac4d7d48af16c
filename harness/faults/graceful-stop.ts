import type { Fault } from "./fault.js";
import { gracefulExitProof } from "./process-proofs.js";

/** Grace long enough for any dataset this suite writes to be saved on shutdown, in ms. */
export const GRACEFUL_STOP_GRACE_MS = 30_000;

/** `docker stop -t 30`: SIGTERM, Redis saves and exits on its own; then the same container starts again. */
export const gracefulStop: Fault = {
  name: "graceful-stop",
  description: "SIGTERM with 30 s grace, then start the same container",
  async inject(node, ctx) {
    const { exitCode } = await node.stop(GRACEFUL_STOP_GRACE_MS);
    ctx.prove?.(gracefulExitProof(exitCode, await node.logs()));
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
