import { fileURLToPath } from "node:url";
import type { Contract } from "../harness/checkers/contract.js";
import type { FaultName } from "../harness/faults/fault.js";

/** The persistence modes this suite knows, one config file each. */
export type Mode = "none" | "rdb" | "aof-everysec" | "aof-always" | "aof-no" | "rdb-aof";

/** An expected bound and the public statement it comes from. */
export interface SourcedContract {
  contract: Contract;
  source: string;
}

/** One persistence mode: its config file, what it promises, and its contract under each fault. */
export interface ModeSpec {
  mode: Mode;
  configFile: string;
  summary: string;
  contracts: Record<FaultName, SourcedContract>;
  /** Faults with nothing to do in this mode, and why: their cells must come out "not applicable", never valid. */
  notApplicable?: Partial<Record<FaultName, string>>;
}

/** Why a short grace has nothing to interrupt in a mode without save points. */
export const NO_FINAL_SAVE =
  "no save points, so shutdown runs no final save (at most an AOF flush of milliseconds): a 1 s grace has nothing to interrupt";

/** everysec's worst case: Redis postpones a write for up to 2 s while a background fsync runs. */
export const EVERYSEC_WORST_CASE_MS = 2_000;

const SNAPSHOT_MARK = "snapshot";

const cite = {
  nothingPersisted: "redis.io persistence docs: with `save \"\"` and `appendonly no` nothing is written to disk",
  shutdownSaves:
    "redis.io SHUTDOWN docs: on SIGTERM the AOF is flushed and fsynced, and a blocking SAVE runs when save points are configured",
  rdbCrash: "redis.io persistence docs: RDB loses everything written after the last snapshot's fork when Redis stops working",
  previousRdbLoads:
    "rdb.c writes temp-<pid>.rdb, fsyncs and renames it, so a save killed mid-way leaves the previous dump.rdb intact",
  aofFlushedBeforeSave: "SHUTDOWN docs / server.c prepareForShutdown: the AOF is flushed and fsynced before the final SAVE starts",
  everysec:
    "redis.conf: everysec \"can lose one second worth of data\"; aof.c postpones a write for up to 2 s while a background fsync runs",
  alwaysFsync: "redis.conf: appendfsync always fsyncs after every write before replying",
  pageCache:
    "redis.conf: the AOF loses at most a single write \"if something wrong with the Redis process itself happens, but the operating system is still running correctly\"",
  noVolume: "Docker docs: an anonymous volume belongs to its container; a new container starts on an empty /data",
} as const;

const noneLost = (source: string): SourcedContract => ({ contract: { kind: "none-lost" }, source });
const allLost = (source: string): SourcedContract => ({ contract: { kind: "all-lost" }, source });
const everysecWindow: SourcedContract = { contract: { kind: "window", maxMs: EVERYSEC_WORST_CASE_MS }, source: cite.everysec };
const afterSnapshot = (source: string): SourcedContract => ({ contract: { kind: "after-snapshot-only", mark: SNAPSHOT_MARK }, source });

const confPath = (name: string): string => fileURLToPath(new URL(`./${name}.conf`, import.meta.url));

/** The mode -> config file -> contract table every suite, report and gate reads. */
export const MODES: Record<Mode, ModeSpec> = {
  none: {
    mode: "none",
    configFile: confPath("none"),
    summary: "no persistence: everything is lost on any restart",
    notApplicable: { "short-grace": NO_FINAL_SAVE },
    contracts: {
      "graceful-stop": allLost(cite.nothingPersisted),
      sigkill: allLost(cite.nothingPersisted),
      "short-grace": allLost(cite.nothingPersisted),
      "recreate-same-volume": allLost(cite.nothingPersisted),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
  rdb: {
    mode: "rdb",
    configFile: confPath("rdb"),
    summary: "RDB snapshots at 900 1 / 300 10 / 60 10000: a crash loses what came after the last snapshot",
    contracts: {
      "graceful-stop": noneLost(cite.shutdownSaves),
      sigkill: afterSnapshot(cite.rdbCrash),
      "short-grace": afterSnapshot(cite.previousRdbLoads),
      "recreate-same-volume": noneLost(cite.shutdownSaves),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
  "aof-everysec": {
    mode: "aof-everysec",
    configFile: confPath("aof-everysec"),
    summary: "AOF, fsync every second: a crash loses at most about a second",
    notApplicable: { "short-grace": NO_FINAL_SAVE },
    contracts: {
      "graceful-stop": noneLost(cite.shutdownSaves),
      sigkill: everysecWindow,
      "short-grace": noneLost(cite.aofFlushedBeforeSave),
      "recreate-same-volume": noneLost(cite.shutdownSaves),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
  "aof-always": {
    mode: "aof-always",
    configFile: confPath("aof-always"),
    summary: "AOF, fsync before every reply: nothing acknowledged is lost",
    notApplicable: { "short-grace": NO_FINAL_SAVE },
    contracts: {
      "graceful-stop": noneLost(cite.shutdownSaves),
      sigkill: noneLost(cite.alwaysFsync),
      "short-grace": noneLost(cite.aofFlushedBeforeSave),
      "recreate-same-volume": noneLost(cite.shutdownSaves),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
  "aof-no": {
    mode: "aof-no",
    configFile: confPath("aof-no"),
    summary: "AOF, fsync left to the OS: safe from process crashes, not from power loss",
    notApplicable: { "short-grace": NO_FINAL_SAVE },
    contracts: {
      "graceful-stop": noneLost(cite.shutdownSaves),
      sigkill: noneLost(cite.pageCache),
      "short-grace": noneLost(cite.aofFlushedBeforeSave),
      "recreate-same-volume": noneLost(cite.shutdownSaves),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
  "rdb-aof": {
    mode: "rdb-aof",
    configFile: confPath("rdb-aof"),
    summary: "RDB snapshots plus AOF everysec (the production setup): the AOF is loaded on restart",
    contracts: {
      "graceful-stop": noneLost(cite.shutdownSaves),
      sigkill: everysecWindow,
      "short-grace": noneLost(cite.aofFlushedBeforeSave),
      "recreate-same-volume": noneLost(cite.shutdownSaves),
      "recreate-without-volume": allLost(cite.noVolume),
    },
  },
};

/** The spec of a mode by name, or an error listing the known modes. */
export function modeNamed(name: string): ModeSpec {
  const spec = (MODES as Record<string, ModeSpec | undefined>)[name];
  if (!spec) throw new Error(`unknown mode "${name}"; known modes: ${Object.keys(MODES).join(", ")}`);
  return spec;
}
