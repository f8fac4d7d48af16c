import { diskFull } from "./disk-full.js";
import type { Fault } from "./fault.js";
import { fsyncError } from "./fsync-error.js";
import { powerLossAfterBgsave } from "./power-loss-after-bgsave.js";
import { powerLoss } from "./power-loss.js";
import { slowFsync } from "./slow-fsync.js";
import { tornAofTail } from "./torn-aof-tail.js";

/** The names of the disk-level faults: each needs /data on fault-fs. */
export type DiskFaultName =
  | "power-loss"
  | "power-loss-after-bgsave"
  | "slow-fsync-kill"
  | "slow-fsync-power-loss"
  | "disk-full"
  | "fsync-error"
  | "torn-aof-tail";

/** Every disk fault, by name, in the order reports list them. */
export const DISK_FAULTS: Record<DiskFaultName, Fault<DiskFaultName>> = {
  "power-loss": powerLoss,
  "power-loss-after-bgsave": powerLossAfterBgsave,
  "slow-fsync-kill": slowFsync("kill"),
  "slow-fsync-power-loss": slowFsync("power-loss"),
  "disk-full": diskFull,
  "fsync-error": fsyncError,
  "torn-aof-tail": tornAofTail,
};
