import type { Contract } from "../checkers/contract.js";
import type { Validity } from "../checkers/verdict.js";
import type { GraceSection } from "./grace-report.js";
import type { DocumentedBounds } from "./recommend.js";
import type { PlannedCell } from "./shard.js";

/** The version of report.json's shape; bumped on any change that breaks a reader (see docs/report-schema.md). */
export const REPORT_SCHEMA_VERSION = 4;

/** A figure over the repetitions of one cell. */
export interface Stat {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** The measured figures of one cell, each over its repetitions. Times in ms, sizes in bytes. */
export interface CellFigures {
  acknowledged: Stat;
  lostAcknowledged: Stat;
  /** null when some repetition's window was unbounded: a client lost every acknowledged write (see allLost). */
  lossWindowMs: Stat | null;
  /** True when some repetition lost every acknowledged write: shown as "all N lost", never as a window. */
  allLost: boolean;
  /** Clients that lost every acknowledged write, per repetition. */
  clientsAllLost: Stat;
  gaps: Stat;
  /** Lost acknowledged writes contradicted by a later-invoked survivor of any client. */
  orderViolations: Stat;
  corrupted: Stat;
  /** Writes of unknown outcome found after recovery. */
  recoveredUnacknowledged: Stat;
  /** Writes answered with an error found after recovery. */
  refusedRecovered: Stat;
  recoveryMs: Stat;
  opsPerSecond: Stat;
  p50Ms: Stat;
  p99Ms: Stat;
  dataDirBytes: Stat;
  durationMs: Stat;
}

/** The shapes of deployment a cell can run on. */
export type Topology = "single" | "sentinel";

/** One mode under one fault on one server version: the verdict against the mode's contract and the figures behind it. */
export interface ReportCell {
  mode: string;
  fault: string;
  /** The id of the version the cell ran on (a `versions[].id`). */
  version: string;
  /** What ran: one server, or a primary with two replicas and three Sentinels. */
  topology: Topology;
  /** What "acknowledged" meant: the SET's reply, or a WAIT after it reporting a replica ("reply" on one server). */
  acks: string;
  image: string;
  /** INFO's server version over the repetitions ("7.0.15", "valkey 8.1.1"); "unknown" when no repetition reached the server. */
  serverVersion: string;
  contract: Contract;
  contractText: string;
  contractSource: string;
  /** false beats unknown beats true over the repetitions. */
  verdict: Validity;
  /** Every repetition's verdict, in run order. */
  verdicts: Validity[];
  /** True when every repetition gave the same verdict. */
  consistent: boolean;
  repetitions: number;
  /** Keys preloaded before the writes (the stated dataset size, or the fault's own minimum). */
  datasetKeys: number;
  figures: CellFigures;
  /** Why a repetition's verdict was not valid (deduplicated). */
  reasons: string[];
  artifactsDirs: string[];
}

/** redis-benchmark against the same server, clients and published port as the harness writers. */
export interface BaselineMode {
  /** The id of the version it ran on. */
  version: string;
  mode: string;
  harnessOpsPerSecond: number;
  benchmarkOpsPerSecond: number;
  /** harness / redis-benchmark. */
  ratio: number;
  harnessP50Ms: number;
  /** null when this redis-benchmark prints no latency columns (before 7.0). */
  benchmarkP50Ms: number | null;
  /** Set when redis-benchmark ran on a plain volume, not on the row's own storage and memory limit (a deployed row). */
  otherSetup?: true;
}

/** The harness's write path measured against redis-benchmark. */
export interface Baseline {
  tool: string;
  clients: number;
  valueBytes: number;
  modes: BaselineMode[];
  /** Median of the per-mode (and per-version) ratios. */
  ratio: number;
}

/** One server build the matrix ran on. */
export interface ReportVersion {
  /** As given to --versions ("6.0", "valkey-8.1"), "default", or the --image name. */
  id: string;
  image: string;
  imageOrigin: string;
  /** INFO's server version ("7.0.15", "valkey 8.1.1"), or "unknown". */
  serverVersion: string;
  wallTimeMs: number;
}

/** A figure the version comparison looks at. */
export type ComparedFigure = "verdict" | "lost" | "lossWindowMs";

/** One figure of one cell that changed from one version to the next. */
export interface FigureChange {
  figure: ComparedFigure;
  /** null: an unbounded loss window. */
  before: Validity | number | string | null;
  after: Validity | number | string | null;
  /** The change in words: "loss window 0 ms -> 1.2 s". */
  text: string;
}

/** A mode x fault cell whose verdict or figures changed between two versions run one after the other in the list. */
export interface ChangedCell {
  mode: string;
  fault: string;
  from: string;
  to: string;
  changes: FigureChange[];
}

/** The comparison of the versions, each with the one before it in the order they were given. */
export interface Comparison {
  versions: string[];
  /** The rule in words, as the renderings state it. */
  rule: string;
  tolerance: { lossWindowMs: number; lossWindowRatio: number };
  changed: ChangedCell[];
}

/** What a user needs from a mode: the loss they accept (ms) and the write rate they need. */
export interface Needs {
  maxLossMs: number;
  minOpsPerSecond: number;
}

/** One mode held against the needs. */
export interface ModeAssessment {
  mode: string;
  qualifies: boolean;
  /** Largest loss window measured under the considered faults, over every repetition. */
  /** null: some cell lost every acknowledged write of a client (unbounded). */
  worstMeasuredLossMs: number | null;
  /** Redis's documented worst case on a process crash; null means unbounded (everything). */
  documentedLossMs: number | null;
  /** Redis's documented worst case on a power cut; null means unbounded. */
  powerLossMs: number | null;
  /** The harness writers' median rate over the mode's cells. */
  medianOpsPerSecond: number;
  /** The rate the mode is held to --min-throughput by: redis-benchmark's when measured, else medianOpsPerSecond. */
  opsPerSecond: number;
  rateSource: RateSource;
  reasons: string[];
}

/** Whose write rate: redis-benchmark's on the same server, or the harness writers' (capped by the harness: a lower bound). */
export type RateSource = "redis-benchmark" | "harness";

/** Which modes meet the stated needs, and why. */
export interface Recommendation {
  needs: Needs;
  consideredFaults: string[];
  excludedFaults: { fault: string; why: string }[];
  modes: ModeAssessment[];
  qualifying: string[];
  /** The mode to pick, when one qualifies. */
  choice: string | null;
  summary: string;
}

/** report.json: everything a matrix run measured, on one or more server versions; versioned. */
export interface MatrixReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  tool: { name: string; version: string };
  run: {
    runId: string;
    datasetMiB: number;
    repetitions: number;
    wallTimeMs: number;
    workload: { clients: number; depth: number; valueBytes: number; writeBeforeMs: number; writeAfterSnapshotMs: number };
    host: { platform: string; cpus: number; node: string };
    /** Cells run at once (`matrix --parallel N`), when more than one: figures were measured under that contention. */
    parallel?: number;
  };
  modes: { mode: string; configFile: string; summary: string }[];
  faults: { name: string; description: string }[];
  /** The server builds run, in the order given; one without --versions. */
  versions: ReportVersion[];
  cells: ReportCell[];
  baseline: Baseline | null;
  /** Over every version: a mode qualifies only if it does on all of them. */
  recommendation: Recommendation;
  /** null when only one version ran. */
  comparison: Comparison | null;
  /** The opt-in stop-grace sweep (`matrix --graces`); absent without it. */
  grace?: GraceSection;
  /** Present in a partial report (`matrix --shard K/N`): what `merge` needs to join the shards. */
  shard?: ShardSection;
  /** Present in a report `merge` joined from shards. */
  merged?: MergedSection;
}

/** What shard K of N of a matrix ran, and what the whole matrix is, so that `merge` can join and check the shards. */
export interface ShardSection {
  index: number;
  of: number;
  /** Every cell of the whole matrix, in plan order; this shard ran every `of`-th, from the `index`-th. */
  planned: PlannedCell[];
  /** Redis's documented bounds per row: the merged recommendation is held against them. */
  bounds: Record<string, DocumentedBounds>;
  /** What the gate fails a deployed row on whatever its cells (`matrix --deployment`): fails the merged run too. */
  dangers: string[];
  /** Whether the run measured the redis-benchmark baseline (no --skip-baseline). */
  baseline: boolean;
  /** sha256 of each row's config file as it ran, keyed by mode. */
  configs: Record<string, string>;
}

/** The shards a merged report was joined from; measured figures are each shard's, as recorded. */
export interface MergedSection {
  shards: { index: number; runId: string; generatedAt: string; wallTimeMs: number; host: MatrixReport["run"]["host"]; parallel: number }[];
  /** The shards' dangers (see ShardSection), joined. */
  dangers: string[];
}
