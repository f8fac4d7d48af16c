import { AFTER_BGSAVE_EXPECTATION, DISK_FAULT_CASES, POWER_LOSS_CONTRACTS } from "../../configs/disk-fault-contracts.js";
import type { DiskFaultCase } from "../../configs/disk-fault-contracts.js";
import type { Mode, SourcedContract } from "../../configs/modes.js";
import type { FaultFsStorageOptions } from "../../harness/cell/fault-fs-storage.js";
import type { WorkloadShape } from "../../harness/cell/run-cell.js";
import type { DiskFaultName } from "../../harness/faults/disk-faults.js";
import type { WeakenedDiskFaultName } from "./weakened-disk-faults.js";

/** The case a disk weakening is held against: a power cut of a mode, the cut after BGSAVE, or one of DISK_FAULT_CASES. */
export type WeakenedCase =
  | { of: "power-loss"; mode: Mode }
  | { of: "power-loss-after-bgsave" }
  | { of: "disk-fault-case"; mode: Mode; fault: DiskFaultName; settings?: Record<string, string> };

/**
 * A disk-fault case held against something weaker than what it guards: a config with directives
 * replaced, a disk that lies about fsync, or a fault that does less. It must come out red: `false`
 * (the contract is broken), "unknown" (the fault cannot prove it bit) or, for a case whose contract is
 * a refusal to start, "starts" (Redis started).
 */
export interface DiskWeakeningSpec {
  name: string;
  against: WeakenedCase;
  replacements: Record<string, string>;
  /** Run this weakened fault instead of the case's own. */
  runs?: WeakenedDiskFaultName;
  /** fault-fs behaviour from the start (e.g. fsyncLies), on top of the case's own. */
  disk?: FaultFsStorageOptions;
  workload?: Partial<WorkloadShape>;
  datasetMiB?: number;
  expect: false | "unknown" | "starts";
}

/** The kind a refusal case is registered under: it has no loss contract, Redis must not start. */
export const REFUSES_TO_START = "refuses-to-start";

/** Every disk-fault weakening; suites/power-loss.test.ts and suites/disk-faults.test.ts run them. */
export const DISK_WEAKENING_SPECS: DiskWeakeningSpec[] = [
  { name: "aof-always with `appendfsync no`", against: { of: "power-loss", mode: "aof-always" }, replacements: { appendfsync: "appendfsync no" }, expect: false },
  // 3 s of writes: with nothing fsynced the whole run is lost, longer than everysec's 2 s.
  { name: "aof-everysec with `appendfsync no`", against: { of: "power-loss", mode: "aof-everysec" }, replacements: { appendfsync: "appendfsync no" }, workload: { writeBeforeMs: 3_000 }, expect: false },
  // Off the volume: fault-fs sees none of Redis's writes and holds no unsynced AOF bytes, so the cut cannot prove it bit.
  { name: "aof-everysec with `dir /tmp` (off the fault-fs volume)", against: { of: "power-loss", mode: "aof-everysec" }, replacements: { dir: "dir /tmp" }, expect: "unknown" },
  { name: "none with an fsynced AOF", against: { of: "power-loss", mode: "none" }, replacements: { appendonly: "appendonly yes\nappendfsync always" }, expect: false },
  { name: "rdb on a disk that ignores fsync", against: { of: "power-loss", mode: "rdb" }, replacements: {}, disk: { fsyncLies: true, dirFsync: true }, expect: false },
  // Too little lost: writes after the last fsync survive a "power cut" that flushed everything first.
  { name: "aof-no under a power cut that flushes first", against: { of: "power-loss", mode: "aof-no" }, replacements: {}, runs: "power-loss-after-flush", expect: false },
  // Too much lost: a rewrite mid-run fsyncs a base that the disk never kept, so writes acknowledged
  // well before its fork are gone. (A preload's automatic rewrite is no test of this: it fires the
  // moment the preload is acknowledged, so whether the preload was covered cannot be told.)
  { name: "aof-no with a mid-run BGREWRITEAOF on a disk that ignores fsync", against: { of: "power-loss", mode: "aof-no" }, replacements: {}, runs: "power-loss-after-rewrite", disk: { fsyncLies: true, dirFsync: true }, expect: false },
  { name: "rdb on a disk that ignores fsync, cut after BGSAVE", against: { of: "power-loss-after-bgsave" }, replacements: {}, disk: { fsyncLies: true }, expect: false },
  // Without an AOF a kill loses the whole run (about 5.5 s), past the 2 s bound.
  { name: "aof-everysec with `appendonly no`", against: { of: "disk-fault-case", mode: "aof-everysec", fault: "slow-fsync-kill" }, replacements: { appendonly: "appendonly no" }, expect: false },
  // Nothing fsynced: the power cut loses the whole run, past the 2 s bound.
  { name: "aof-everysec with `appendfsync no`", against: { of: "disk-fault-case", mode: "aof-everysec", fault: "slow-fsync-power-loss" }, replacements: { appendfsync: "appendfsync no" }, workload: { writeBeforeMs: 3_000 }, expect: false },
  // No save points: SHUTDOWN saves nothing once space has returned.
  { name: "rdb without save points", against: { of: "disk-fault-case", mode: "rdb", fault: "disk-full", settings: { "stop-writes-on-bgsave-error": "stop-writes-on-bgsave-error yes" } }, replacements: { save: 'save ""' }, expect: false },
  // Under everysec Redis keeps running after a failed fsync and has acknowledged writes it never made durable.
  { name: "aof-always with `appendfsync everysec`", against: { of: "disk-fault-case", mode: "aof-always", fault: "fsync-error" }, replacements: { appendfsync: "appendfsync everysec" }, expect: false },
  // A tear that never happens: Redis loads a whole AOF, so the fault cannot prove it bit.
  { name: "aof-everysec under a \"torn tail\" that tears nothing", against: { of: "disk-fault-case", mode: "aof-everysec", fault: "torn-aof-tail", settings: { "aof-load-truncated": "aof-load-truncated yes" } }, replacements: {}, runs: "torn-aof-tail-untorn", expect: "unknown" },
  // The refusal is Redis's own: with the truncated tail allowed, Redis starts and the case must say so.
  { name: "aof-everysec with `aof-load-truncated yes`", against: { of: "disk-fault-case", mode: "aof-everysec", fault: "torn-aof-tail", settings: { "aof-load-truncated": "aof-load-truncated no" } }, replacements: { "aof-load-truncated": "aof-load-truncated yes" }, expect: "starts" },
];

/** The DISK_FAULT_CASES entry a weakening is held against, or an error naming it. */
export function diskCaseOf(against: Extract<WeakenedCase, { of: "disk-fault-case" }>): DiskFaultCase {
  const same = (a?: Record<string, string>, b?: Record<string, string>) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
  const found = DISK_FAULT_CASES.find((c) => c.mode === against.mode && c.fault === against.fault && same(c.settings, against.settings));
  if (!found) throw new Error(`DISK_FAULT_CASES has no ${against.mode} x ${against.fault} case with settings ${JSON.stringify(against.settings ?? {})}`);
  return found;
}

/** The contract a weakening is held against (undefined for a refusal case). */
export function contractOf(against: WeakenedCase): SourcedContract | undefined {
  switch (against.of) {
    case "power-loss":
      return POWER_LOSS_CONTRACTS[against.mode];
    case "power-loss-after-bgsave":
      return AFTER_BGSAVE_EXPECTATION.contract;
    case "disk-fault-case": {
      const { outcome } = diskCaseOf(against);
      return outcome.starts ? outcome.expected : undefined;
    }
  }
}

function faultOf(against: WeakenedCase): DiskFaultName {
  return against.of === "disk-fault-case" ? against.fault : against.of;
}

/** Which (fault, contract kind) pairs the disk weakenings cover, for the registry test. */
export const DISK_WEAKENINGS: { fault: string; contractKind: string; name: string }[] = DISK_WEAKENING_SPECS.map((w) => ({
  fault: faultOf(w.against),
  contractKind: contractOf(w.against)?.contract.kind ?? REFUSES_TO_START,
  name: w.name,
}));
