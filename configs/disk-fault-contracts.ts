import type { WorkloadShape } from "../harness/cell/run-cell.js";
import type { DiskFaultName } from "../harness/faults/disk-faults.js";
import { LAST_FSYNC_MARK } from "../harness/faults/last-fsync.js";
import type { FindingKey } from "./findings.js";
import { memoryFaultContract } from "./memory-contracts.js";
import { EVERYSEC_WORST_CASE_MS } from "./modes.js";
import type { Mode, ModeSpec, SourcedContract } from "./modes.js";
import { VERSION_DIFFERENCES } from "./version-differences.js";

const SNAPSHOT_MARK = "snapshot";

const cite = {
  nothingPersisted: "redis.io persistence docs: with `save \"\"` and `appendonly no` nothing is written to disk",
  rdbSnapshot:
    "redis.io persistence docs: RDB loses what was written after the last snapshot; rdb.c fsyncs temp-<pid>.rdb before renaming it over dump.rdb and, since 7.0.3 (redis PR 10737), fsyncs the directory after the rename, so a completed snapshot survives a power cut",
  everysec:
    "redis.conf: with everysec \"you may lose 1 second of data\"; aof.c postpones a write for up to 2 s while a background fsync runs, so a power cut loses about 2 s at most",
  rdbAofLoadsAof: "redis.io persistence docs: with both, Redis loads the AOF on restart; its everysec fsync bounds the loss at about 2 s (aof.c)",
  always:
    "redis.io persistence docs: appendfsync always: \"fsync every time new commands are appended to the AOF. Very very slow, very safe\"; aof.c fsyncs in beforeSleep before any reply is sent",
  fsyncNo:
    "redis.conf: \"The fsync() call tells the Operating System to actually write data on disk\"; appendfsync no: \"don't fsync, just let the OS flush the data when it wants\": what survives a power cut is what Redis itself fsynced (aof.c: the AOF base of a rewrite, holding the dataset at the rewrite's fork, the incr file it closes at the fork, the manifest), so every write since the last fsync is lost (fault-fs never flushes on its own: a cut before Linux's ~30 s writeback)",
  slowFsyncKill:
    "redis.io persistence docs / redis.conf: everysec's worst case is about 2 s: while a background fsync runs, aof.c postpones the write(2) for up to 2 s and replies meanwhile (aof_delayed_fsync counts the writes it then forces), so a crash can lose up to 2 s of acknowledged writes held only in Redis's buffer",
  slowFsyncPowerLoss:
    "redis.io persistence docs / redis.conf: everysec loses about 2 s at worst, also when the disk is slow (aof.c postpones a write for at most 2 s, then writes anyway and logs \"Asynchronous AOF fsync is taking too long\"); measured beyond it: a finding (configs/findings.ts)",
  stopWritesYes:
    "redis.conf stop-writes-on-bgsave-error yes: \"Redis will stop accepting writes if RDB snapshots are enabled and the latest background save failed\" and allows them again once a save succeeds; SHUTDOWN saves before exiting",
  stopWritesNo:
    "redis.conf stop-writes-on-bgsave-error: set to no, Redis \"will continue to work as usual even if there are problems with disk\"; SHUTDOWN saves before exiting",
  fsyncErrorExits:
    "aof.c (redis PRs 8347, 8419; after Rebello et al., ATC 2020): under appendfsync always a failed fsync makes Redis log \"Can't persist AOF for fsync error\" and exit instead of replying",
  truncatedYes:
    "redis.conf aof-load-truncated yes: a truncated AOF tail \"is loaded anyway\"; aof.c logs the short read, truncates the file and starts",
  truncatedNo:
    "redis.conf aof-load-truncated no: \"the server aborts with an error and refuses to start\" on a truncated AOF; aof.c logs \"Unexpected end of file reading the append only file\"",
  badFormat:
    "aof.c: a malformed record in the middle of the AOF is fatal whatever aof-load-truncated says (\"Bad file format reading the append only file\"; redis issue 5177)",
  checkAofFix: "redis-check-aof --fix: truncates the AOF at the first invalid record, after asking for confirmation",
} as const;

const noneLost = (source: string): SourcedContract => ({ contract: { kind: "none-lost" }, source });
const allLost = (source: string): SourcedContract => ({ contract: { kind: "all-lost" }, source });
const lossWindow = (maxMs: number, source: string): SourcedContract => ({ contract: { kind: "window", maxMs }, source });
const afterSnapshot = (source: string): SourcedContract => ({ contract: { kind: "after-snapshot-only", mark: SNAPSHOT_MARK }, source });

/** What a power cut may cost each mode: the table the power-loss suite runs. */
export const POWER_LOSS_CONTRACTS: Record<Mode, SourcedContract> = {
  none: allLost(cite.nothingPersisted),
  rdb: afterSnapshot(cite.rdbSnapshot),
  "aof-everysec": lossWindow(EVERYSEC_WORST_CASE_MS, cite.everysec),
  "aof-always": noneLost(cite.always),
  "aof-no": { contract: { kind: "since-last-fsync", mark: LAST_FSYNC_MARK }, source: cite.fsyncNo },
  "rdb-aof": lossWindow(EVERYSEC_WORST_CASE_MS, cite.rdbAofLoadsAof),
};

/** A figure a disk fault measures (FaultContext.measure) that must come out a certain way, and why. */
export interface ExpectedMeasurement {
  name: string;
  /** "positive": a number > 0; "zero": 0; a RegExp: the measured value, as text, matches. */
  is: "positive" | "zero" | RegExp;
  source: string;
}

/** Whether Redis comes back after the fault: with a loss contract, or refusing to start with a log line. */
export type DiskFaultOutcome =
  | { starts: true; expected: SourcedContract; measurements?: ExpectedMeasurement[] }
  | { starts: false; logLine: RegExp; source: string };

/** One disk-fault case: a mode's config with some directives changed, a fault, and what must hold. */
export interface DiskFaultCase {
  mode: Mode;
  fault: DiskFaultName;
  /** Directive -> the line that replaces it in the mode's config. */
  settings?: Record<string, string>;
  workload?: Partial<WorkloadShape>;
  outcome: DiskFaultOutcome;
  /** The documented contract is known to break here: the case asserts that this finding still reproduces. */
  finding?: FindingKey;
}

/** A damaged-AOF repair case: the refusal it must show, and the fix that must recover. */
export interface AofRepairCase {
  mode: Mode;
  settings: Record<string, string>;
  refusal: RegExp;
  refusalSource: string;
  fixSource: string;
}

/** The disk faults beyond the per-mode power cut, each on the mode it is about. */
export const DISK_FAULT_CASES: DiskFaultCase[] = [
  {
    mode: "aof-everysec",
    fault: "slow-fsync-kill",
    outcome: {
      starts: true,
      expected: lossWindow(EVERYSEC_WORST_CASE_MS, cite.slowFsyncKill),
      measurements: [{ name: "aofDelayedFsync", is: "positive", source: cite.slowFsyncKill }],
    },
  },
  {
    mode: "aof-everysec",
    fault: "slow-fsync-power-loss",
    outcome: {
      starts: true,
      expected: lossWindow(EVERYSEC_WORST_CASE_MS, cite.slowFsyncPowerLoss),
      measurements: [{ name: "aofDelayedFsync", is: "positive", source: cite.slowFsyncKill }],
    },
    finding: "slowFsyncPowerLoss",
  },
  {
    mode: "rdb",
    fault: "disk-full",
    settings: { "stop-writes-on-bgsave-error": "stop-writes-on-bgsave-error yes" },
    outcome: {
      starts: true,
      expected: noneLost(cite.stopWritesYes),
      measurements: [
        { name: "bgsaveWhileFull", is: /^err$/, source: cite.stopWritesYes },
        { name: "misconfReplies", is: "positive", source: cite.stopWritesYes },
        { name: "writesFailed", is: "positive", source: cite.stopWritesYes },
        { name: "bgsaveAfterSpaceReturned", is: /^ok$/, source: cite.stopWritesYes },
        { name: "keysAddedAfterSpaceReturned", is: "positive", source: cite.stopWritesYes },
      ],
    },
  },
  {
    mode: "rdb",
    fault: "disk-full",
    settings: { "stop-writes-on-bgsave-error": "stop-writes-on-bgsave-error no" },
    outcome: {
      starts: true,
      expected: noneLost(cite.stopWritesNo),
      measurements: [
        { name: "bgsaveWhileFull", is: /^err$/, source: cite.stopWritesNo },
        { name: "misconfReplies", is: "zero", source: cite.stopWritesNo },
        { name: "writesFailed", is: "zero", source: cite.stopWritesNo },
        { name: "keysAddedAfterSpaceReturned", is: "positive", source: cite.stopWritesNo },
      ],
    },
  },
  {
    mode: "aof-always",
    fault: "fsync-error",
    outcome: {
      starts: true,
      expected: noneLost(cite.fsyncErrorExits),
      measurements: [
        { name: "exitedByItself", is: /^yes/, source: cite.fsyncErrorExits },
        { name: "fsyncErrorLog", is: /Can't persist AOF for fsync error when the AOF fsync policy is 'always'/, source: cite.fsyncErrorExits },
      ],
    },
  },
  {
    mode: "aof-everysec",
    fault: "torn-aof-tail",
    settings: { "aof-load-truncated": "aof-load-truncated yes" },
    outcome: {
      starts: true,
      expected: lossWindow(EVERYSEC_WORST_CASE_MS, cite.everysec),
      measurements: [{ name: "loadLog", is: /loaded anyway because aof-load-truncated is enabled/, source: cite.truncatedYes }],
    },
  },
  {
    mode: "aof-everysec",
    fault: "torn-aof-tail",
    settings: { "aof-load-truncated": "aof-load-truncated no" },
    outcome: { starts: false, logLine: /Unexpected end of file reading the append only file/, source: cite.truncatedNo },
  },
];

/** What a power cut right after BGSAVE leaves, by whether the server fsyncs the directory after renaming the snapshot. */
export const AFTER_BGSAVE_EXPECTATION = {
  /** Held against every server: only writes after the completed snapshot may be lost. */
  contract: afterSnapshot(cite.rdbSnapshot),
  difference: VERSION_DIFFERENCES.dirFsyncAfterRename,
  /** Without the directory fsync, fault-fs (dir-fsync mode) undoes the rename: the previous dump.rdb (none in this run) loads. */
  withoutIt: "the rename is undone: the previous dump.rdb, none in this run, loads and every acknowledged write is lost",
} as const;

/** A record zeroed in the middle of the AOF: refused with either aof-load-truncated, repaired by redis-check-aof --fix. */
export const AOF_REPAIR_CASES: AofRepairCase[] = ["yes", "no"].map((truncated) => ({
  mode: "aof-everysec",
  settings: { "aof-load-truncated": `aof-load-truncated ${truncated}` },
  refusal: /Bad file format reading the append only file/,
  refusalSource: cite.badFormat,
  fixSource: cite.checkAofFix,
}));

/** The contract of a mode under any fault the command line can name: a process fault, power loss, or a memory fault. */
export function contractFor(mode: ModeSpec, faultName: string): SourcedContract {
  if (faultName === "power-loss") return POWER_LOSS_CONTRACTS[mode.mode];
  const memory = memoryFaultContract(mode, faultName);
  if (memory) return memory;
  const contract = (mode.contracts as Record<string, SourcedContract | undefined>)[faultName];
  if (!contract) throw new Error(`mode ${mode.mode} has no contract for the fault "${faultName}"`);
  return contract;
}
