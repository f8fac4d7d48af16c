import { describeVolumeDisk } from "../grace/disk.js";
import { graceFigure } from "../grace/grace-rule.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DeploymentStoragePlan } from "../cell/deployment-storage.js";
import { cellStorageOf } from "../cell/deployment-storage.js";
import { faultFsStorage } from "../cell/fault-fs-storage.js";
import { runCell } from "../cell/run-cell.js";
import type { Contract } from "../checkers/contract.js";
import { describeContract } from "../checkers/contract.js";
import { needsFaultFs } from "../faults/index.js";
import { NoDockerEngineError } from "../runtime/docker-engine.js";
import { serverBinaryOf } from "../runtime/images.js";
import { serverVersionOfImage } from "../runtime/image-version.js";
import type { DirectiveOrigin } from "../deployment/index.js";
import { describeOrigin } from "../deployment/index.js";
import { writeDerivedConfig, GATE_OVERRIDES } from "./derived-config.js";
import { documentedBoundFor } from "./documented-bound.js";
import type { ConfExplanation } from "./explain-conf.js";
import type { CheckInput } from "./gate-check.js";
import { documentedOnlyCheck, gateCheckOf, notRunCheck, unfinishedCheck } from "./gate-check.js";
import { GateConfigError, rejectionError } from "./gate-config-error.js";
import { faultAsDeployed, gateFault } from "./gate-faults.js";
import type { GateMemoryLimit } from "./gate-faults.js";
import { forkHeadroomHazard } from "./eviction-hazard.js";
import { findingHazards } from "./finding-hazards.js";
import type { GateCheck, GateReport } from "./gate-report.js";
import { GATE_SCHEMA_VERSION } from "./gate-report.js";
import { gateVerdict } from "./gate-verdict.js";
import type { Hazard } from "./hazards.js";
import { findHazards, graceHazard } from "./hazards.js";
import { measureShutdownMs } from "./measure-shutdown.js";
import { gateFacts, readGateSettings } from "./gate-settings.js";
import { checkConfigWithRedis } from "./redis-config-check.js";
import type { ImageServer } from "./server-version.js";
import { serverVersionText } from "./server-version.js";

/** What the gate checks: one config against a declared loss bound. Times in ms. */
export interface GateOptions {
  configFile: string;
  maxLossMs: number;
  graceMs: number;
  faults: string[];
  /** Loaded before the shutdown measurement and before each fault's writes, in MiB. */
  datasetMiB: number;
  image: string;
  /** A deployment as written (compose, Kubernetes, command line): its effective settings replace reading `configFile`. */
  deployment?: GateDeploymentInput;
}

/** What the gate takes from a Deployment (harness/gate/deployment-gate.ts builds it). */
export interface GateDeploymentInput {
  /** The effective settings as one redis.conf (renderConf: file with includes inlined, then flags). */
  text: string;
  /** origins[n - 1]: where line n of `text` came from. */
  origins: DirectiveOrigin[];
  /** The deployment's own hazards (storage, PID 1), with `at`. */
  hazards: Hazard[];
  /** The data dir is on storage that a new container finds again (named volume, bind mount, PVC). */
  dataSurvivesRecreate: boolean;
  /** What the data dir and its storage are, for the wording: "/data (no volume)". */
  dataDirText: string;
  /** SIGTERM never reaches the server (a `sh -c` without exec, stop_signal SIGKILL): every stop ends in SIGKILL. */
  stopIsKill: boolean;
  /** What the report says about the deployment. */
  summary: GateDeploymentSummary;
  /** The container's memory limit, when the deployment sets one: fork-under-memory-limit runs under it. */
  memoryLimit?: GateMemoryLimit;
  /** What the faults run on at /data to stand for the deployment's storage (harness/cell/deployment-storage.ts). */
  storagePlan: DeploymentStoragePlan;
}

/** The deployment a report is for, in the JSON (`deployment`). */
export interface GateDeploymentSummary {
  kind: string;
  name: string;
  file?: string;
  /** The image the deployment names, as written. */
  image?: string;
  /** The server and version the deployment's image names. */
  server: string;
  version?: string;
  dataDir: string;
  /** `ranOn`: what the faults ran on at /data to stand for it ("a Docker tmpfs at /data (the deployment's tmpfs)"). */
  storage: { kind: string; mountPath?: string; source?: string; declaredAt?: string; readOnly?: string; ranOn?: string };
  stopGrace: { ms: number; source: string };
  pid1: { process: string; sigterm: string; reason: string };
  /** The image the faults ran on and why, when it is not the one the deployment names. */
  imageNote?: string;
}

/** The contract a declared bound amounts to: 0 means nothing acknowledged may be lost. */
export function contractForMaxLoss(maxLossMs: number): Contract {
  return maxLossMs === 0 ? { kind: "none-lost" } : { kind: "window", maxMs: maxLossMs };
}

/** Reads, explains and checks the config with Redis, measures its shutdown, then runs each fault on it and holds both sides to the bound. */
export async function runGate(options: GateOptions, onStep: (line: string) => void): Promise<GateReport> {
  const dep = options.deployment;
  const userText = dep?.text ?? (await readFile(options.configFile, "utf8"));
  const server: ImageServer = { flavor: serverBinaryOf(options.image) === "valkey-server" ? "valkey" : "redis", version: await serverVersionOfImage(options.image) };
  const { parsed, conf, explanation } = readGateSettings(userText, options.configFile, server);
  // A deployment's `dir` is judged against its own storage (dep.hazards); the run puts it at /data on storage of the deployment's kind.
  const hazards = dep ? [...findHazards(conf, explanation).filter((h) => h.id !== "dir-not-on-volume").map((h) => atOrigin(h, dep.origins)), ...dep.hazards] : findHazards(conf, explanation);
  hazards.push(...findingHazards(explanation, options.maxLossMs));
  const forkHeadroom = forkHeadroomHazard(conf, explanation, dep?.memoryLimit);
  if (forkHeadroom && dep) hazards.push(atOrigin(forkHeadroom, dep.origins));
  const derived = await writeDerivedConfig(userText, dep ? ["dir /data"] : []);
  try {
    onStep("asking Redis whether it accepts the config");
    const check = await checkConfigWithRedis(options.image, derived.file);
    if (!check.accepted) {
      if (check.fatal) throw atOrigins(rejectionError(options.configFile, check.fatal, parsed, derived.userLines, server), dep?.origins);
      throw new GateConfigError(options.configFile, [{ message: `Redis exited (code ${check.exitCode}) without a config error; its last log lines:\n${check.logTail}` }], "redis");
    }
    onStep(`measuring the shutdown with ${options.datasetMiB} MiB of data`);
    const shutdownMs = await measureShutdownMs(options.image, derived.file, options.datasetMiB);
    const grace = graceFigure({ datasetMiB: options.datasetMiB, graceMs: options.graceMs, shutdownMs, disk: (await describeVolumeDisk()).description });
    const slowShutdown = graceHazard(conf, shutdownMs, options.graceMs, options.datasetMiB);
    if (slowShutdown) hazards.push(dep ? atOrigin(slowShutdown, dep.origins) : slowShutdown);

    const contract = contractForMaxLoss(options.maxLossMs);
    const facts = gateFacts(conf, { graceMs: options.graceMs, shutdownMs, ...(dep ? { deployment: dep } : {}) });
    const checks: GateCheck[] = [];
    for (const name of options.faults) {
      const planned = gateFault(name, options.graceMs, dep?.memoryLimit);
      const asDeployed = dep ? faultAsDeployed(planned, dep.storagePlan, dep.stopIsKill) : { run: planned };
      const fault = "run" in asDeployed ? asDeployed.run : planned;
      const input: CheckInput = {
        fault: fault.name,
        description: fault.description,
        documented: documentedBoundFor(fault.name, explanation, facts),
        maxLossMs: options.maxLossMs,
        advice: { conf, explanation, graceMs: options.graceMs, shutdownMs, ...deploymentFixes(dep) },
      };
      if ("notRun" in asDeployed) {
        onStep(`not running ${fault.name}: ${asDeployed.notRun}`);
        checks.push(notRunCheck(input, asDeployed.notRun, asDeployed.lostEverything));
        continue;
      }
      onStep(`running ${fault.name}: ${fault.description}`);
      try {
        const result = await runCell({
          mode: `gate-${path.basename(options.configFile).replace(/\.conf$/, "").replace(/[^a-zA-Z0-9_.-]+/g, "-")}`,
          configFile: derived.file,
          expected: { contract, source: `the declared --max-loss (${describeContract(contract)})` },
          fault,
          image: options.image,
          datasetMiB: options.datasetMiB,
          ...(needsFaultFs(fault.name) ? { storage: faultFsStorage(options.image) } : dep ? { storage: cellStorageOf(dep.storagePlan) } : {}),
        });
        checks.push(gateCheckOf(input, result));
      } catch (error) {
        if (error instanceof NoDockerEngineError) throw error;
        checks.push(unfinishedCheck(input, error));
      }
    }
    // The promise covers a crash and a power cut whether or not they were run here.
    for (const name of ["sigkill", "power-loss"].filter((n) => !options.faults.includes(n))) {
      const fault = gateFault(name, options.graceMs);
      checks.push(documentedOnlyCheck({ fault: fault.name, description: fault.description, documented: documentedBoundFor(fault.name, explanation, facts), maxLossMs: options.maxLossMs }));
    }
    const verdict = gateVerdict(checks, hazards);
    return {
      schemaVersion: GATE_SCHEMA_VERSION,
      configFile: options.configFile,
      passed: verdict.passed,
      failures: verdict.reasons,
      maxLossMs: options.maxLossMs,
      contract: describeContract(contract),
      graceMs: options.graceMs,
      datasetMiB: options.datasetMiB,
      image: options.image,
      serverVersion: serverVersionText(server),
      explanation,
      hazards,
      overrides: [...GATE_OVERRIDES, ...(dep ? [`dir /data (the deployment's data dir ${dep.dataDirText}, mapped to /data on storage of kind ${dep.storagePlan.kind}: ${dep.storagePlan.ranOn})`] : [])],
      ...(dep ? { deployment: dep.summary } : {}),
      shutdownMs,
      grace,
      checks,
      notes: notesFor(explanation, options.maxLossMs, checks),
    };
  } finally {
    await derived.remove();
  }
}

/** What a deployment's own hazards say to change, for the advice on the faults they decide. */
function deploymentFixes(dep: GateDeploymentInput | undefined): { storageFix?: string; restartStorageFix?: string; stopFix?: string } {
  if (!dep) return {};
  const storage = dep.dataSurvivesRecreate ? undefined : dep.hazards.find((h) => h.failsGate)?.fix;
  const restartStorage = dep.storagePlan.restartKeepsFiles ? undefined : storage;
  const stop = dep.stopIsKill ? dep.hazards.find((h) => h.id === "sigterm-never-reaches-server" || h.id === "stop-signal-kill")?.fix : undefined;
  return { ...(storage !== undefined ? { storageFix: storage } : {}), ...(restartStorage !== undefined ? { restartStorageFix: restartStorage } : {}), ...(stop !== undefined ? { stopFix: stop } : {}) };
}

/** A hazard of the rendered settings, pointed at the line or flag the deployment wrote. */
function atOrigin(hazard: Hazard, origins: DirectiveOrigin[]): Hazard {
  const origin = hazard.line !== undefined ? origins[hazard.line - 1] : undefined;
  if (!origin) return hazard;
  const { line: _line, ...rest } = hazard;
  return { ...rest, at: describeOrigin(origin) };
}

/** Redis's refusal of the rendered settings, pointed at the deployment's lines and flags. */
function atOrigins(error: GateConfigError, origins: DirectiveOrigin[] | undefined): GateConfigError {
  if (!origins) return error;
  const problems = error.problems.map((p) => {
    const origin = p.line !== undefined ? origins[p.line - 1] : undefined;
    if (!origin) return p;
    const { line: _line, ...rest } = p;
    return { ...rest, text: `${describeOrigin(origin)}: ${p.text ?? ""}` };
  });
  return new GateConfigError(error.configFile, problems, error.origin, error.hints);
}

// The faults not run still have documented bounds a reader should see.
function notesFor(explanation: ConfExplanation, maxLossMs: number, checks: GateCheck[]): string[] {
  const notes: string[] = [];
  const over = (maxMs: number | null): boolean => maxMs === null || maxMs > maxLossMs;
  const ran = (fault: string): boolean => checks.some((c) => c.fault === fault);
  if (!ran("sigkill") && !ran("short-grace") && over(explanation.processCrash.maxMs)) notes.push(`not run here: a process crash can lose ${explanation.processCrash.text}`);
  if (!ran("power-loss") && over(explanation.powerLoss.maxMs)) notes.push(`not run here: a power cut or kernel crash can lose ${explanation.powerLoss.text}`);
  return notes;
}
