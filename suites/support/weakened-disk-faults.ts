import type { Fault } from "../../harness/faults/fault.js";
import { faultFsOf } from "../../harness/faults/needs-fault-fs.js";
import { cutPower } from "../../harness/faults/power-cut.js";
import { powerLoss } from "../../harness/faults/power-loss.js";
import { tornAofTail } from "../../harness/faults/torn-aof-tail.js";
import { powerLossAfterRewrite } from "./power-loss-after-rewrite.js";

/** Disk faults that do less than the one they are named after: the real one's contract or proof must catch each. */
export const WEAKENED_DISK_FAULTS = {
  /** "power-loss" whose disk first makes everything durable (sync-all): a crash, not a power cut. */
  "power-loss-after-flush": {
    ...powerLoss,
    async inject(node, ctx) {
      const faultFs = faultFsOf(ctx, "power-loss-after-flush");
      await faultFs.syncAll();
      await cutPower(node, faultFs, ctx);
    },
  },
  /** A power cut after a BGREWRITEAOF mid-run: not weaker in itself, but it puts the last fsync inside the run. */
  "power-loss-after-rewrite": powerLossAfterRewrite,
  /** "torn-aof-tail" that never arms the tear: a plain power cut, the AOF ends on a whole command. */
  "torn-aof-tail-untorn": {
    ...tornAofTail,
    inject: (node, ctx) => cutPower(node, faultFsOf(ctx, "torn-aof-tail-untorn"), ctx),
  },
} satisfies Record<string, Fault<"power-loss" | "torn-aof-tail">>;

/** The name of a weakened disk fault. */
export type WeakenedDiskFaultName = keyof typeof WEAKENED_DISK_FAULTS;
