import type { Fault } from "./fault.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

/** A power cut: SIGKILL, fault-fs drops every unsynced write, then the same container starts on the same mount. */
export const powerLoss: Fault<"power-loss"> = {
  name: "power-loss",
  description: "SIGKILL, drop every write not covered by an fsync (fault-fs lose-unsynced), then start the same container",
  inject: (node, ctx) => cutPower(node, faultFsOf(ctx, "power-loss"), ctx),
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
