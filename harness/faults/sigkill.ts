import type { Fault } from "./fault.js";

/** SIGKILL through the Docker API (a crash: no shutdown code runs), then start the same container. */
export const sigkill: Fault = {
  name: "sigkill",
  description: "SIGKILL (docker kill), then start the same container",
  async inject(node) {
    await node.signal("SIGKILL");
    await node.waitUntilExited();
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
