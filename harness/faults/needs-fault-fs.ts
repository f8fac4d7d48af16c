import type { MountedFaultFs } from "./fault-fs/fault-fs.js";
import type { FaultContext } from "./fault.js";

/** The fault filesystem under /data; a disk fault cannot run on a plain volume, so this throws there. */
export function faultFsOf(ctx: FaultContext, faultName: string): MountedFaultFs {
  if (!ctx.faultFs) throw new Error(`the ${faultName} fault needs /data on fault-fs (run the cell with faultFsStorage)`);
  return ctx.faultFs;
}
