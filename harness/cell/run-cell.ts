import { setTimeout as sleep } from "node:timers/promises";
import debug from "debug";
import type { SourcedContract } from "../../configs/modes.js";
import { FAULT_MARK, analyzeLoss } from "../checkers/loss.js";
import { PRELOAD_MARK, checkContract, preloadBatchMark } from "../checkers/check-contract.js";
import { measureThroughput } from "../checkers/throughput.js";
import type { ThroughputFigures } from "../checkers/throughput.js";
import type { Verdict } from "../checkers/verdict.js";
import type { Fault, FaultContext, FaultProof } from "../faults/fault.js";
import { withFaultProofs } from "./fault-proofs.js";
import { serverVersionOf } from "../runtime/redis-client.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { failedCaseError, keepArtifacts } from "../store/artifacts.js";
import type { Clock } from "../workload/clock.js";
import { systemClock } from "../workload/clock.js";
import { preloadDataset } from "../workload/dataset.js";
import type { PreloadBatch } from "../workload/dataset.js";
import { HistoryRecorder } from "../workload/history.js";
import type { History } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import { takeSnapshot } from "../workload/snapshot.js";
import { startWritersOn } from "../workload/wire-writers.js";
import { namedVolumeStorage } from "./storage.js";
import type { CellStorage } from "./storage.js";

const log = debug("redis-persistence:cell");

/** How much to write around the fault. Times in ms. */
export interface WorkloadShape {
  clients: number;
  /** Writes in flight per client (pipelining); each reply still acknowledges exactly one write. */
  depth: number;
  valueBytes: number;
  /** Writing before the fault (or before the snapshot, where the contract needs one). */
  writeBeforeMs: number;
  /** Writing after the snapshot and before the fault. */
  writeAfterSnapshotMs: number;
}

/** The default workload: four clients with four writes in flight each, ~100-byte records, about 1.5 s of writes. */
export const DEFAULT_WORKLOAD: WorkloadShape = { clients: 4, depth: 4, valueBytes: 64, writeBeforeMs: 1_500, writeAfterSnapshotMs: 1_000 };

/** One cell of the matrix: a persistence mode's config under one fault, on one image. */
export interface CellPlan {
  mode: string;
  configFile: string;
  expected: SourcedContract;
  fault: Fault<string>;
  image: string;
  workload?: WorkloadShape;
  clock?: Clock;
  /** Keep artifacts even when the verdict is valid. */
  keepArtifacts?: boolean;
  /** The case is red by design (a weakened config, a server that must refuse to start): keep artifacts only if it is not. */
  expectBroken?: boolean;
  /** Preload at least this many MiB before the writes (recovery is then measured for it); the fault's own datasetMiB stays the minimum. */
  datasetMiB?: number;
  /** Where /data lives; default: a fresh named volume (the gate passes the deployment's kind: harness/cell/deployment-storage.ts). */
  storage?: CellStorage;
}

/** Everything measured in one cell: the unit of every report. Times in ms. */
export interface CellResult {
  mode: string;
  fault: string;
  image: string;
  serverVersion: string;
  /** The version serving after recovery: differs from serverVersion only when the fault changed the image. */
  serverVersionAfter: string;
  contractSource: string;
  verdict: Verdict;
  throughput: ThroughputFigures;
  recoveryMs: number;
  datasetKeys: number;
  dataDirBytes: number;
  durationMs: number;
  /** Where the artifacts went, when they were kept (always for a verdict that is not valid). */
  artifactsDir?: string;
  /** What the fault measured itself (FaultContext.measure), plus `writesFailed`: writes answered with an error. */
  measurements?: Record<string, number | string>;
  /** What the fault claimed and whether it held (FaultContext.prove); a claim that did not hold makes the verdict unknown. */
  proofs: FaultProof[];
  /** Why the fault had nothing to do here (FaultContext.notApplicable); the verdict is then not-applicable. */
  notApplicable?: string;
}

/** Runs one cell end to end: start, write, fault, heal, read back, check. Removes what it created. */
export async function runCell(plan: CellPlan): Promise<CellResult> {
  const startedAtMs = Date.now();
  const workload = plan.workload ?? DEFAULT_WORKLOAD;
  const caseName = `${plan.mode}--${plan.fault.name}`;
  const keyPrefix = `w:${caseName}`;
  const dataDir = await (plan.storage ?? namedVolumeStorage).create(plan.mode);
  let node: StartedRedisNode | undefined;
  let history: History | undefined;
  try {
    node = await new RedisNode(plan.image, plan.configFile).withVolume(dataDir.source || undefined).withDataMount(dataDir.container).withMemoryLimit(plan.fault.memoryLimitBytes).start();
    const started = node;
    const serverVersion = serverVersionOf(await started.info("server"));
    const datasetMiB = Math.max(plan.datasetMiB ?? 0, plan.fault.datasetMiB ?? 0);
    const clock = plan.clock ?? systemClock;
    const recorder = new HistoryRecorder(clock);
    const preloadStartMs = clock.nowMs();
    // A contract about what an fsync covered must know how much of the preload it covered.
    const onBatch = (batch: PreloadBatch): void => recorder.addMark(preloadBatchMark(batch.keysSoFar), batch.invokeAtMs, batch.okAtMs);
    const datasetKeys = datasetMiB ? (await started.withClient((redis) => preloadDataset(redis, datasetMiB, onBatch, () => clock.nowMs()), 120_000)).keys : 0;
    if (datasetKeys > 0) recorder.addMark(PRELOAD_MARK, preloadStartMs, clock.nowMs());
    const writers = await startWritersOn(started, { clients: workload.clients, depth: workload.depth, keyPrefix, valueBytes: workload.valueBytes, recorder });
    await sleep(workload.writeBeforeMs);
    const contract = plan.expected.contract;
    if (contract.kind === "after-snapshot-only") {
      await started.withClient((redis) => takeSnapshot(redis, recorder, contract.mark), 120_000);
      await sleep(workload.writeAfterSnapshotMs);
    }
    log("%s: %d writes acknowledged, injecting %s", caseName, recorder.acknowledgedCount(), plan.fault.name);
    const measurements: Record<string, number | string> = {};
    const proofs: FaultProof[] = [];
    const notApplicable: string[] = [];
    const ctx: FaultContext = {
      volume: dataDir.source || undefined,
      faultFs: dataDir.faultFs,
      measure: (name, value) => {
        measurements[name] = value;
      },
      prove: (proof) => proofs.push(proof),
      notApplicable: (reason) => notApplicable.push(reason),
      mark: (name, invokeAtMs, okAtMs) => recorder.addMark(name, invokeAtMs, okAtMs),
    };
    const faultStartMs = clock.nowMs();
    await plan.fault.inject(started, ctx);
    recorder.addMark(FAULT_MARK, faultStartMs, clock.nowMs());
    await writers.stop();
    const recovered = await plan.fault.heal(started, ctx);
    node = recovered.node;

    const recorded = recorder.history();
    history = recorded;
    const found = await node.withClient((redis) => readBack(redis, keyPrefix, recorded), 60_000);
    const analysis = analyzeLoss(recorded, found);
    const verdict = withFaultProofs(checkContract(contract, analysis, recorded, datasetKeys, measurements), proofs, notApplicable);
    measurements.writesFailed = analysis.failed;
    const result: CellResult = {
      mode: plan.mode,
      fault: plan.fault.name,
      image: plan.image,
      serverVersion,
      serverVersionAfter: serverVersionOf(await node.info("server")),
      contractSource: plan.expected.source,
      verdict,
      throughput: measureThroughput(history),
      recoveryMs: recovered.recoveryMs,
      datasetKeys,
      dataDirBytes: await node.dataDirBytes(),
      durationMs: 0,
      measurements,
      proofs,
      ...(notApplicable.length ? { notApplicable: notApplicable.join("; ") } : {}),
    };
    if ((verdict.valid !== !plan.expectBroken && verdict.valid !== "not-applicable") || plan.keepArtifacts) {
      result.artifactsDir = await keepArtifacts({
        caseName,
        history,
        verdict: result,
        redisLog: await node.logs(),
        configFile: plan.configFile,
        dataDirListing: await node.dataDirListing(),
      });
    }
    result.durationMs = Date.now() - startedAtMs;
    return result;
  } catch (error) {
    if (plan.expectBroken) throw error;
    throw await failedCaseError(error, { caseName, history, configFile: plan.configFile, server: node });
  } finally {
    await node?.remove();
    await dataDir.remove();
  }
}
