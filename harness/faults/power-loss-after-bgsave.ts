import type { Fault } from "./fault.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

const SAVED_LINE = /^\d+:M (\d+ \w+ \d+ [\d:.]+) \* Background saving terminated with success$/gm;

/**
 * A power cut as soon as a BGSAVE has completed (renamed its temp file over dump.rdb): run it with
 * an after-snapshot-only contract and no writing after the snapshot, so the cut follows the save at once.
 */
export const powerLossAfterBgsave: Fault<"power-loss-after-bgsave"> = {
  name: "power-loss-after-bgsave",
  description: "power cut right after BGSAVE reported success (rdb_bgsave_in_progress back to 0), then start the same container",
  async inject(node, ctx) {
    const cutAtMs = Date.now();
    await cutPower(node, faultFsOf(ctx, "power-loss-after-bgsave"), ctx);
    // Redis logs in the container's clock (UTC, shared with the host): how soon after the save the power went.
    const saved = [...(await node.logs()).matchAll(SAVED_LINE)].at(-1)?.[1];
    if (saved) ctx.measure?.("cutAfterSaveLoggedMs", cutAtMs - Date.parse(`${saved}Z`));
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
