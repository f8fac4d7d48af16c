import type { Contract } from "../checkers/contract.js";
import type { Validity } from "../checkers/verdict.js";

/** The version of report.json's shape; bumped on any change that breaks a reader (see docs/report-schema.md). */
export const REPORT_SCHEMA_VERSION = 1;

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
  lossWindowMs: Stat;
  gaps: Stat;
  corrupted: Stat;
  recoveredUnacknowledged: Stat;
  recoveryMs: Stat;
  opsPerSecond: Stat;
  p50Ms: Stat;
  p99Ms: Stat;
  dataDirBytes: Stat;
  durationMs: Stat;
}

/** One mode under one fault: the verdict against the mode's contract and the figures behind it. */
export interface ReportCell {
  mode: string;
  fault: string;
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
  mode: string;
  harnessOpsPerSecond: number;
  benchmarkOpsPerSecond: number;
  /** harness / redis-benchmark. */
  ratio: number;
  harnessP50Ms: number;
  /** null when this redis-benchmark prints no latency columns (before 7.0). */
  benchmarkP50Ms: number | null;
}

/** The harness's write path measured against redis-benchmark. */
export interface Baseline {
  tool: string;
  clients: number;
  valueBytes: number;
  modes: BaselineMode[];
  /** Median of the per-mode ratios. */
  ratio: number;
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
  worstMeasuredLossMs: number;
  /** Redis's documented worst case on a process crash; null means unbounded (everything). */
  documentedLossMs: number | null;
  /** Redis's documented worst case on a power cut; null means unbounded. */
  powerLossMs: number | null;
  medianOpsPerSecond: number;
  reasons: string[];
}

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

/** report.json: everything a matrix run measured, versioned. */
export interface MatrixReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  tool: { name: string; version: string };
  run: {
    runId: string;
    image: string;
    imageOrigin: string;
    serverVersion: string;
    datasetMiB: number;
    repetitions: number;
    wallTimeMs: number;
    workload: { clients: number; depth: number; valueBytes: number; writeBeforeMs: number; writeAfterSnapshotMs: number };
    host: { platform: string; cpus: number; node: string };
  };
  modes: { mode: string; configFile: string; summary: string }[];
  faults: { name: string; description: string }[];
  cells: ReportCell[];
  baseline: Baseline | null;
  recommendation: Recommendation;
}
