import type { Fault } from "./fault.js";
import { killProof } from "./process-proofs.js";

/** SIGKILL through the Docker API (a crash: no shutdown code runs), then start the same container. */
export const sigkill: Fault = {
  name: "sigkill",
  description: "SIGKILL (docker kill), then start the same container",
  async inject(node, ctx) {
    await node.signal("SIGKILL");
    const { exitCode } = await node.waitUntilExited();
    ctx.prove?.(killProof(exitCode, await node.logs()));
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
