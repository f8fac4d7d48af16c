import type { DiskFaultCase } from "../../configs/disk-fault-contracts.js";
import { MODES } from "../../configs/modes.js";
import { faultFsStorage } from "../../harness/cell/fault-fs-storage.js";
import type { FaultFsStorageOptions } from "../../harness/cell/fault-fs-storage.js";
import { DEFAULT_WORKLOAD, runCell } from "../../harness/cell/run-cell.js";
import type { CellPlan, CellResult } from "../../harness/cell/run-cell.js";
import { DISK_FAULTS } from "../../harness/faults/disk-faults.js";
import type { Fault } from "../../harness/faults/fault.js";
import { logLines } from "../../harness/faults/log-lines.js";
import { weakenConfig } from "./weaken-config.js";

/** "aof-everysec [aof-load-truncated no]": a mode and the settings its config was run with. */
export function diskCaseLabel(mode: string, settings: Record<string, string> | undefined): string {
  return settings && Object.keys(settings).length ? `${mode} [${Object.values(settings).join(", ")}]` : mode;
}

/** The cell plan of a disk-fault case (its expectation left to the caller), optionally with another fault or disk. */
export function diskCasePlan(image: string, diskCase: DiskFaultCase, fault: Fault<string> = DISK_FAULTS[diskCase.fault], disk: FaultFsStorageOptions = {}): Omit<CellPlan, "expected"> {
  const spec = MODES[diskCase.mode];
  return {
    mode: diskCaseLabel(diskCase.mode, diskCase.settings),
    configFile: diskCase.settings && Object.keys(diskCase.settings).length ? weakenConfig(spec.configFile, diskCase.settings) : spec.configFile,
    fault,
    image,
    storage: faultFsStorage(image, disk),
    workload: { ...DEFAULT_WORKLOAD, ...diskCase.workload },
  };
}

/** The cell plan of rdb under a power cut right after BGSAVE: dir-fsync mode, no writing after the snapshot. */
export function afterBgsavePlan(image: string, configFile: string, disk: FaultFsStorageOptions = {}): Omit<CellPlan, "expected"> {
  return {
    mode: "rdb",
    configFile,
    fault: DISK_FAULTS["power-loss-after-bgsave"],
    image,
    storage: faultFsStorage(image, { ...disk, dirFsync: true }),
    workload: { ...DEFAULT_WORKLOAD, writeAfterSnapshotMs: 0 },
  };
}

/** How a case whose server must refuse to start came out: refused (with Redis's own log line), or started. */
export type RefusalOutcome = { refused: true; logLine: string } | { refused: false; why: string; result?: CellResult };

/**
 * Runs a case whose server must refuse to start after the fault, and judges it by Redis's own log
 * of the restart only (the container log from the heal on), never by an error message: those quote
 * the contract's source, which quotes the very line looked for.
 */
export async function runRefusalCase(plan: Omit<CellPlan, "expected">, logLine: RegExp, source: string): Promise<RefusalOutcome> {
  const restartLog = { text: "" };
  const watched: Fault<string> = {
    ...plan.fault,
    async heal(node, ctx) {
      const from = (await node.logs()).length;
      try {
        return await plan.fault.heal(node, ctx);
      } finally {
        restartLog.text = (await node.logs().catch(() => "")).slice(from);
      }
    },
  };
  const run = await runCell({ ...plan, fault: watched, expected: { contract: { kind: "none-lost" }, source }, expectBroken: true }).then(
    (result) => ({ result }),
    (error: unknown) => ({ error: error as Error }),
  );
  const line = logLines(restartLog.text, logLine).at(0);
  if ("result" in run) return { refused: false, why: "Redis started after the fault and served", result: run.result };
  if (line === undefined) return { refused: false, why: `the restart failed, but Redis's log of it has no line matching ${logLine}: ${run.error.message.split("\n")[0]}` };
  return { refused: true, logLine: line };
}
