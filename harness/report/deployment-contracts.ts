import path from "node:path";
import type { Contract } from "../checkers/contract.js";
import type { Deployment } from "../deployment/index.js";
import { EVICTED_KEYS_MEASUREMENT } from "../faults/memory-pressure.js";
import { LAST_FSYNC_MARK } from "../faults/last-fsync.js";
import { gateInputOf } from "../gate/deployment-gate.js";
import type { DeploymentFacts } from "../gate/documented-bound.js";
import { documentedBoundFor, storageLosesEverything } from "../gate/documented-bound.js";
import type { EffectiveConf } from "../gate/effective-conf.js";
import type { ConfExplanation, LossBound } from "../gate/explain-conf.js";
import { OS_WRITEBACK_MS } from "../gate/explain-conf.js";
import { gateFacts, readGateSettings } from "../gate/gate-settings.js";
import type { ParsedConf } from "../gate/parse-conf.js";
import type { GateDeploymentInput } from "../gate/run-gate.js";
import type { ImageServer } from "../gate/server-version.js";
import type { RowExpectation } from "./run-matrix.js";

/** The mark the harness's snapshot sets before an after-snapshot-only fault (run-cell's takeSnapshot), as configs/modes.ts names it. */
const SNAPSHOT_MARK = "snapshot";

/** A deployment's settings read as the gate reads them: the rendered config, what Redis makes of it, and the gate's facts. */
export interface DeploymentSettings {
  /** What the gate takes from the deployment (rendered text, origins, storage, stop). */
  input: GateDeploymentInput;
  parsed: ParsedConf;
  conf: EffectiveConf;
  explanation: ConfExplanation;
  /** The facts documentedBoundFor takes, built as runGate builds them. */
  facts: DeploymentFacts;
}

/** "compose.yml:redis": the file the deployment was read from and the service (or workload) in it. */
export function deploymentRowName(d: Deployment): string {
  const file = d.file !== undefined ? path.basename(d.file) : undefined;
  return file === undefined || file === d.name ? d.name : `${file}:${d.name}`;
}

/**
 * Reads a deployment's rendered settings on the given server as runGate does (the version decides
 * how quoted arguments split and whether 6.0 drops its default save points) and builds the gate's
 * facts; `shutdownMs` is the measured shutdown, undefined when not measured (a stop then ends in
 * SIGKILL only when SIGTERM never reaches the server). Throws GateConfigError on lines the gate
 * cannot follow. Pure.
 */
export function deploymentSettings(d: Deployment, server: ImageServer, shutdownMs?: number): DeploymentSettings {
  const input = gateInputOf(d);
  const settings = readGateSettings(input.text, deploymentRowName(d), server);
  return { input, ...settings, facts: gateFacts(settings.conf, { graceMs: d.stopGrace.ms, ...(shutdownMs !== undefined ? { shutdownMs } : {}), deployment: input }) };
}

/** The row's expected contract under each named fault, from the documented bound for its settings and storage. Pure. */
export function deploymentExpectations(settings: DeploymentSettings, faults: readonly string[], writeAfterSnapshotMs: number): Record<string, RowExpectation> {
  return Object.fromEntries(faults.map((fault) => [fault, expectationOfBound(fault, documentedBoundFor(fault, settings.explanation, settings.facts), settings, writeAfterSnapshotMs)]));
}

/**
 * The contract a documented bound amounts to under one fault: 0 ms is none-lost; "everything"
 * because nothing is persisted or the storage does not survive the fault is all-lost; an RDB-only
 * bound is after-snapshot-only (what the snapshot holds survives, what came after it is lost); an
 * allkeys-* eviction is evicted-only; a power cut's OS-writeback bound is since-last-fsync (the fault
 * filesystem never writes back on its own: what survives is what Redis fsynced); any other finite
 * bound is a window. Where no kind states the bound faithfully the cell is not-applicable, saying why.
 * `writeAfterSnapshotMs` is how long the workload writes after the harness's snapshot. Pure.
 */
export function expectationOfBound(fault: string, bound: LossBound, settings: Pick<DeploymentSettings, "explanation" | "conf" | "facts">, writeAfterSnapshotMs: number): RowExpectation {
  const { explanation, conf, facts } = settings;
  const source = `documented for these settings and this storage: ${bound.text}`;
  const sourced = (contract: Contract): RowExpectation => ({ expected: { contract, source } });
  if (bound.maxMs === 0) return sourced({ kind: "none-lost" });
  if (bound.maxMs === null && (storageLosesEverything(fault, facts) || explanation.mode === "none")) return sourced({ kind: "all-lost" });
  if (bound.maxMs === null && fault.startsWith("memory-pressure")) return sourced({ kind: "evicted-only", measurement: EVICTED_KEYS_MEASUREMENT });
  if (explanation.mode === "rdb") {
    const contract: Contract = { kind: "after-snapshot-only", mark: SNAPSHOT_MARK };
    // Redis forks again once more than `seconds` whole seconds passed since the last save ended (serverCron).
    const early = conf.savePoints.filter((p) => p.seconds * 1000 < writeAfterSnapshotMs + 1000);
    if (early.length === 0) return sourced(contract);
    return {
      expected: { contract, source },
      notApplicable: `\`save ${early.map((p) => `${p.seconds} ${p.changes}`).join(" ")}\` can snapshot again within the ${writeAfterSnapshotMs} ms of writes after the harness's snapshot, so which writes the last snapshot holds is not fixed; no contract kind states "${bound.text}" for it`,
    };
  }
  if (fault === "power-loss" && bound.maxMs === OS_WRITEBACK_MS) return sourced({ kind: "since-last-fsync", mark: LAST_FSYNC_MARK });
  if (bound.maxMs !== null) return sourced({ kind: "window", maxMs: bound.maxMs });
  return { expected: { contract: { kind: "may-lose" }, source }, notApplicable: `no contract kind states "${bound.text}" for ${explanation.mode} under ${fault}` };
}
