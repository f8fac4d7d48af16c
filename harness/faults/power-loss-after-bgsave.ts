import { stat } from "node:fs/promises";
import path from "node:path";
import type { Fault } from "./fault.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

const SAVED_LINE = /^\d+:M (\d+ \w+ \d+ [\d:.]+) \* Background saving terminated with success$/gm;

/**
 * A power cut as soon as a BGSAVE has completed (renamed its temp file over dump.rdb): run it with
 * an after-snapshot-only contract, no writing after the snapshot, and fault-fs in dir-fsync mode, so
 * that the rename survives only if Redis fsynced the directory after it (7.0.3 on, redis PR 10737).
 */
export const powerLossAfterBgsave: Fault<"power-loss-after-bgsave"> = {
  name: "power-loss-after-bgsave",
  description: "power cut right after BGSAVE reported success (rdb_bgsave_in_progress back to 0), renames durable only after a directory fsync, then start the same container",
  async inject(node, ctx) {
    const faultFs = faultFsOf(ctx, "power-loss-after-bgsave");
    const cutAtMs = Date.now();
    const before = await faultFs.status();
    ctx.prove?.({
      claim: "fault-fs makes a rename durable only once its directory is fsynced (dir-fsync mode)",
      held: before.dirFsyncMode,
      seen: before.dirFsyncMode ? `${before.uncommittedNames} names not yet durable` : "dir-fsync mode is off: every rename is durable at once",
    });
    ctx.measure?.("dirFsyncsBeforeCut", before.fsyncLog.filter((r) => r.dir).length);
    await cutPower(node, faultFs, ctx);
    // Redis logs in the container's clock (UTC, shared with the host): how soon after the save the power went.
    const saved = [...(await node.logs()).matchAll(SAVED_LINE)].at(-1)?.[1];
    if (saved) ctx.measure?.("cutAfterSaveLoggedMs", cutAtMs - Date.parse(`${saved}Z`));
    const dump = await stat(path.join(faultFs.backingDir, "dump.rdb")).catch(() => undefined);
    ctx.measure?.("dumpRdbAfterCut", dump ? `${dump.size} B` : "none");
  },
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
