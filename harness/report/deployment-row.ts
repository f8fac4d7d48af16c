import path from "node:path";
import type { Deployment } from "../deployment/index.js";
import { DEFAULT_WORKLOAD } from "../cell/run-cell.js";
import { writeDerivedConfig } from "../gate/derived-config.js";
import { GateConfigError, rejectionError } from "../gate/gate-config-error.js";
import { faultAsDeployed, gateFault } from "../gate/gate-faults.js";
import type { FaultAsDeployed } from "../gate/gate-faults.js";
import { cellStorageOf } from "../cell/deployment-storage.js";
import { STOPS, documentedBoundFor } from "../gate/documented-bound.js";
import { measureShutdownMs } from "../gate/measure-shutdown.js";
import { checkConfigWithRedis } from "../gate/redis-config-check.js";
import type { ImageServer } from "../gate/server-version.js";
import { serverVersionOfImage } from "../runtime/image-version.js";
import { serverBinaryOf } from "../runtime/images.js";
import { deploymentExpectations, deploymentRowName, deploymentSettings } from "./deployment-contracts.js";
import type { DocumentedBounds } from "./recommend.js";
import type { CustomRow } from "./run-matrix.js";

/** A deployment prepared as one matrix row: its rendered config on disk, its contracts, its documented bounds; `remove()` deletes the config. */
export interface DeploymentRow extends CustomRow {
  bounds: DocumentedBounds;
  /** The deployment's own hazards that fail the gate (no volume, a read-only data dir, a start that empties it): the cells cannot clear them. */
  dangers: string[];
  remove(): Promise<void>;
}

/** What a row is prepared for: the image it runs on, the faults of the plan, the stated dataset. */
export interface DeploymentRowOptions {
  image: string;
  faults: readonly string[];
  datasetMiB: number;
  writeAfterSnapshotMs?: number;
}


/**
 * Turns one deployment into a matrix row as the gate prepares it: its rendered settings plus the
 * gate's overrides and `dir /data` (the run's volume), accepted by Redis itself, its shutdown measured
 * when a stop is run, its contract per fault from the documented bound, its stops with its own grace.
 * Throws GateConfigError when the gate cannot follow a line or Redis refuses the settings.
 */
export async function deploymentRow(d: Deployment, options: DeploymentRowOptions, onStep: (line: string) => void): Promise<DeploymentRow> {
  const name = deploymentRowName(d);
  const server: ImageServer = { flavor: serverBinaryOf(options.image) === "valkey-server" ? "valkey" : "redis", version: await serverVersionOfImage(options.image) };
  const read = deploymentSettings(d, server);
  // As runGate: the deployment's `dir` is judged against its storage; the run puts it on the harness's volume.
  const derived = await writeDerivedConfig(read.input.text, ["dir /data"]);
  try {
    onStep(`${name}: asking Redis whether it accepts the settings`);
    const check = await checkConfigWithRedis(options.image, derived.file);
    if (!check.accepted) {
      if (check.fatal) throw rejectionError(name, check.fatal, read.parsed, derived.userLines, server);
      throw new GateConfigError(name, [{ message: `Redis exited (code ${check.exitCode}) without a config error; its last log lines:\n${check.logTail}` }], "redis");
    }
    let shutdownMs: number | undefined;
    if (options.faults.some((f) => STOPS.has(f))) {
      onStep(`${name}: measuring the shutdown with ${options.datasetMiB} MiB of data`);
      shutdownMs = await measureShutdownMs(options.image, derived.file, options.datasetMiB);
    }
    const settings = deploymentSettings(d, server, shutdownMs);
    const expectations = deploymentExpectations(settings, options.faults, options.writeAfterSnapshotMs ?? DEFAULT_WORKLOAD.writeAfterSnapshotMs);
    const grace = `stop grace ${formatSeconds(d.stopGrace.ms)} from ${d.stopGrace.source}`;
    // As the gate runs them: on storage of the deployment's kind, restarts as its platform restarts a container.
    const plan = settings.input.storagePlan;
    const asDeployed = (faultName: string): FaultAsDeployed => faultAsDeployed(gateFault(faultName, d.stopGrace.ms, settings.input.memoryLimit), plan, settings.input.stopIsKill);
    const storage = cellStorageOf(plan);
    return {
      mode: name,
      configFile: derived.file,
      ...(d.file !== undefined ? { reportedConfigFile: path.resolve(d.file) } : {}),
      summary: `${d.kind} ${d.name}: ${settings.explanation.summary}; data dir ${settings.input.dataDirText}; ${grace}${shutdownMs !== undefined ? `; shutdown measured ${Math.round(shutdownMs)} ms` : ""}`,
      image: options.image,
      ...(storage ? { storage } : {}),
      faultFor: (fault) => {
        const deployed = asDeployed(fault.name);
        return "run" in deployed ? deployed.run : fault;
      },
      expectationFor: (fault) => {
        const expectation = expectations[fault];
        if (!expectation) throw new Error(`row ${name} was not prepared for the fault "${fault}"`);
        const deployed = asDeployed(fault);
        // Not measured is not held: the cell comes out unknown, whatever the documented bound says.
        if ("notRun" in deployed) return { ...expectation, notRun: `not run here: ${deployed.notRun}${deployed.lostEverything ? " (this storage loses every file to it by construction)" : ""}` };
        return expectation;
      },
      // The recommendation weighs the row by what its storage keeps too, not by its settings alone.
      bounds: { processCrash: documentedBoundFor("sigkill", settings.explanation, settings.facts), powerLoss: documentedBoundFor("power-loss", settings.explanation, settings.facts) },
      dangers: settings.input.hazards.filter((h) => h.failsGate).map((h) => `${h.message}${h.at !== undefined ? ` (${h.at})` : ""}`),
      remove: () => derived.remove(),
    };
  } catch (error) {
    await derived.remove();
    throw error;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
