import type { Fault, FaultProof } from "./fault.js";
import { lastIncrAof } from "./aof-files.js";
import { logLines } from "./log-lines.js";
import { faultFsOf } from "./needs-fault-fs.js";
import { cutPower } from "./power-cut.js";

/**
 * How much of the last unsynced write(2) survives. Fixed, not "half": a write holding an even number
 * of equally long commands would be torn exactly between two of them. Every SET the workload sends
 * is longer than this, so the cut always lands inside a command.
 */
export const TORN_KEEP_BYTES = 40;

const LOAD_LOG_LINE = /short read|Truncating the AOF|loaded anyway|Unexpected end of file|Bad file format/;
const TRUNCATED_TAIL_LINE = /short read while loading the AOF|Unexpected end of file reading the append only file/;

/** Proof that the restarted server met a torn AOF tail: it logged a short read (or refused on one). Pure. */
export function tornTailLoadProof(restartLog: string): FaultProof {
  const line = logLines(restartLog, TRUNCATED_TAIL_LINE).at(0);
  return { claim: "the restarted server met a torn AOF tail (a short read while loading)", held: line !== undefined, seen: line ?? "no short read in the load log: the AOF ended on a whole command" };
}

/**
 * A power cut that tears the AOF's last write: SIGKILL, the incremental AOF keeps its unsynced
 * writes but only TORN_KEEP_BYTES of the last one, then the same container starts. Needs unsynced
 * AOF data (appendfsync everysec or no). Measures what Redis logged while loading.
 */
export const tornAofTail: Fault<"torn-aof-tail"> = {
  name: "torn-aof-tail",
  description: `power cut that keeps only the first ${TORN_KEEP_BYTES} bytes of the incremental AOF's last write, then start the same container`,
  async inject(node, ctx) {
    const faultFs = faultFsOf(ctx, "torn-aof-tail");
    const incr = await lastIncrAof(faultFs.mountPoint);
    // Armed while Redis still writes: the tear applies to whatever write is last at the cut.
    await faultFs.tornTail(incr, TORN_KEEP_BYTES);
    await cutPower(node, faultFs, ctx);
    const { tornKeptBytes } = await faultFs.status();
    ctx.measure?.("tornKeptBytes", tornKeptBytes);
    ctx.prove?.({
      claim: `the cut tore the last write of ${incr} (kept a prefix of it)`,
      held: tornKeptBytes > 0,
      seen: tornKeptBytes > 0 ? `${tornKeptBytes} B kept of the unsynced tail` : `${incr} had nothing unsynced at the cut, so there was no tail to tear (is appendfsync always?)`,
    });
  },
  async heal(node, ctx) {
    const from = (await node.logs()).length;
    const recoveryMs = await node.startAgain();
    const restartLog = (await node.logs()).slice(from);
    ctx.measure?.("loadLog", logLines(restartLog, LOAD_LOG_LINE).join(" | ") || "none");
    ctx.prove?.(tornTailLoadProof(restartLog));
    return { node, recoveryMs };
  },
};
