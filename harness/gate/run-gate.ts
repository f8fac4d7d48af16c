import { readFile } from "node:fs/promises";
import path from "node:path";
import { runCell } from "../cell/run-cell.js";
import type { CellResult } from "../cell/run-cell.js";
import type { Contract } from "../checkers/contract.js";
import { describeContract } from "../checkers/contract.js";
import type { Validity } from "../checkers/verdict.js";
import { NoDockerEngineError } from "../runtime/docker-engine.js";
import { writeDerivedConfig, GATE_OVERRIDES } from "./derived-config.js";
import { effectiveConf } from "./effective-conf.js";
import type { ConfExplanation } from "./explain-conf.js";
import { explainConf } from "./explain-conf.js";
import { adviceFor } from "./gate-advice.js";
import { gateFault } from "./gate-faults.js";
import { faultFsStorage } from "../cell/fault-fs-storage.js";
import { needsFaultFs } from "../faults/index.js";
import type { Hazard } from "./hazards.js";
import { findHazards, graceHazard } from "./hazards.js";
import { measureShutdownMs } from "./measure-shutdown.js";
import { parseConf } from "./parse-conf.js";
import { checkConfigWithRedis } from "./redis-config-check.js";

/** What the gate checks: one config against a declared loss bound. Times in ms. */
export interface GateOptions {
  configFile: string;
  maxLossMs: number;
  graceMs: number;
  faults: string[];
  /** Loaded before the shutdown measurement and before each fault's writes, in MiB. */
  datasetMiB: number;
  image: string;
}

/** One fault run on the config, held against the bound. Times in ms. */
export interface GateCheck {
  fault: string;
  description: string;
  passed: boolean;
  validity: Validity;
  acknowledged: number;
  lostAcknowledged: number;
  lossWindowMs: number;
  /** How far the loss window went past the bound; null when within it. */
  overByMs: number | null;
  recoveryMs: number;
  reasons: string[];
  advice: string[];
  artifactsDir?: string;
}

/** The gate's JSON output (`--json`), versioned like report.json. Times in ms. */
export interface GateReport {
  schemaVersion: 1;
  configFile: string;
  passed: boolean;
  maxLossMs: number;
  contract: string;
  graceMs: number;
  datasetMiB: number;
  image: string;
  serverVersion: string;
  explanation: ConfExplanation;
  hazards: Hazard[];
  /** Lines appended to the config so the harness can connect; persistence untouched. */
  overrides: string[];
  shutdownMs: number;
  checks: GateCheck[];
  /** Things that did not fail the gate but a reader should know. */
  notes: string[];
}

/** One problem that stops the gate before anything is measured: the config's line and what is wrong. */
export interface ConfigProblem {
  line?: number;
  text?: string;
  message: string;
}

/** A config the gate cannot run: Redis rejects it, or it uses what the gate does not support. Exit code 2. */
export class GateConfigError extends Error {
  constructor(
    readonly configFile: string,
    readonly problems: ConfigProblem[],
    readonly origin: "redis" | "gate",
  ) {
    super(
      `${configFile}: ${origin === "redis" ? "Redis rejects this config" : "the gate cannot run this config"}\n` +
        problems.map((p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ""}${p.text !== undefined ? `${p.text}\n    ` : ""}${p.message}`).join("\n"),
    );
    this.name = "GateConfigError";
  }
}

/** The contract a declared bound amounts to: 0 means nothing acknowledged may be lost. */
export function contractForMaxLoss(maxLossMs: number): Contract {
  return maxLossMs === 0 ? { kind: "none-lost" } : { kind: "window", maxMs: maxLossMs };
}

/** Reads, explains and checks the config with Redis, measures its shutdown, then runs each fault on it. */
export async function runGate(options: GateOptions, onStep: (line: string) => void): Promise<GateReport> {
  const userText = await readFile(options.configFile, "utf8");
  const parsed = parseConf(userText);
  if (parsed.unsupported.length > 0) throw new GateConfigError(options.configFile, parsed.unsupported, "gate");
  const conf = effectiveConf(parsed);
  const explanation = explainConf(conf);
  const hazards = findHazards(conf, explanation);
  const derived = await writeDerivedConfig(userText);
  try {
    onStep("asking Redis whether it accepts the config");
    const check = await checkConfigWithRedis(options.image, derived.file);
    if (!check.accepted) {
      const fatal = check.fatal;
      const ours = fatal?.line !== undefined && fatal.line > derived.userLines;
      const problem: ConfigProblem = fatal
        ? {
            ...(fatal.line !== undefined && !ours ? { line: fatal.line } : {}),
            ...(fatal.text !== undefined ? { text: fatal.text } : {}),
            message: ours ? `Redis rejected a line the gate appends (${fatal.message}); this Redis may be too old for the gate` : `Redis says: ${fatal.message}`,
          }
        : { message: `Redis exited (code ${check.exitCode}) without a config error; its last log lines:\n${check.logTail}` };
      throw new GateConfigError(options.configFile, [problem], "redis");
    }
    onStep(`measuring the shutdown with ${options.datasetMiB} MiB of data`);
    const shutdownMs = await measureShutdownMs(options.image, derived.file, options.datasetMiB);
    const slowShutdown = graceHazard(conf, shutdownMs, options.graceMs, options.datasetMiB);
    if (slowShutdown) hazards.push(slowShutdown);

    const contract = contractForMaxLoss(options.maxLossMs);
    const checks: GateCheck[] = [];
    let serverVersion = "unknown";
    for (const name of options.faults) {
      const fault = gateFault(name, options.graceMs);
      onStep(`running ${fault.name}: ${fault.description}`);
      let result: CellResult;
      try {
        result = await runCell({
          mode: `gate-${path.basename(options.configFile).replace(/\.conf$/, "").replace(/[^a-zA-Z0-9_.-]+/g, "-")}`,
          configFile: derived.file,
          expected: { contract, source: `the declared --max-loss (${describeContract(contract)})` },
          fault,
          image: options.image,
          datasetMiB: options.datasetMiB,
          ...(needsFaultFs(fault.name) ? { storage: faultFsStorage(options.image) } : {}),
        });
      } catch (error) {
        if (error instanceof NoDockerEngineError) throw error;
        checks.push(unfinishedCheck(fault.name, fault.description, error));
        continue;
      }
      serverVersion = result.serverVersion;
      const figures = result.verdict.figures;
      const passed = result.verdict.valid === true;
      const check: GateCheck = {
        fault: fault.name,
        description: fault.description,
        passed,
        validity: result.verdict.valid,
        acknowledged: figures.acknowledged,
        lostAcknowledged: figures.lostAcknowledged,
        lossWindowMs: figures.lossWindowMs,
        overByMs: figures.lostAcknowledged > 0 && figures.lossWindowMs > options.maxLossMs ? figures.lossWindowMs - options.maxLossMs : null,
        recoveryMs: result.recoveryMs,
        reasons: result.verdict.reasons,
        advice: passed
          ? []
          : adviceFor({ fault: fault.name, validity: result.verdict.valid, conf, explanation, maxLossMs: options.maxLossMs, graceMs: options.graceMs, shutdownMs }),
      };
      if (result.artifactsDir) check.artifactsDir = result.artifactsDir;
      checks.push(check);
    }
    return {
      schemaVersion: 1,
      configFile: options.configFile,
      passed: checks.every((c) => c.passed),
      maxLossMs: options.maxLossMs,
      contract: describeContract(contract),
      graceMs: options.graceMs,
      datasetMiB: options.datasetMiB,
      image: options.image,
      serverVersion,
      explanation,
      hazards,
      overrides: [...GATE_OVERRIDES],
      shutdownMs,
      checks,
      notes: notesFor(explanation, options.maxLossMs, checks),
    };
  } finally {
    await derived.remove();
  }
}

// Redis that does not come back after a fault has lost the data as far as clients can tell.
function unfinishedCheck(fault: string, description: string, error: unknown): GateCheck {
  const message = error instanceof Error ? error.message : String(error);
  return {
    fault,
    description,
    passed: false,
    validity: "unknown",
    acknowledged: 0,
    lostAcknowledged: 0,
    lossWindowMs: 0,
    overByMs: null,
    recoveryMs: 0,
    reasons: [`the run could not finish: ${message}`],
    advice: ["if Redis did not start again, its log above says why (e.g. `aof-load-truncated no` refuses a truncated AOF); fix that setting or the deployment"],
  };
}

function notesFor(explanation: ConfExplanation, maxLossMs: number, checks: GateCheck[]): string[] {
  const notes: string[] = [];
  const documented = explanation.processCrash.maxMs;
  if (checks.some((c) => c.passed) && (documented === null || documented > maxLossMs)) {
    notes.push(
      `measured within the bound, but Redis documents a worse case for this mode on a crash: ${explanation.processCrash.text}; a run can be lucky, the documentation is the promise`,
    );
  }
  const power = explanation.powerLoss.maxMs;
  const powerTested = checks.some((c) => c.fault === "power-loss");
  if (!powerTested && (power === null || power > maxLossMs)) notes.push(`not tested here: a power cut or kernel crash can lose ${explanation.powerLoss.text}`);
  return notes;
}
