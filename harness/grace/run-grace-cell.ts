import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { ModeSpec, SourcedContract } from "../../configs/modes.js";
import { withFaultProofs } from "../cell/fault-proofs.js";
import type { WorkloadShape } from "../cell/run-cell.js";
import { DEFAULT_WORKLOAD } from "../cell/run-cell.js";
import { FAULT_MARK, analyzeLoss } from "../checkers/loss.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Verdict } from "../checkers/verdict.js";
import { dockerEngine } from "../runtime/docker-engine.js";
import { demuxDockerLog } from "../runtime/docker-log.js";
import { parseInfo, serverVersionOf } from "../runtime/redis-client.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";
import { failedCaseError, keepArtifacts } from "../store/artifacts.js";
import { systemClock } from "../workload/clock.js";
import { preloadDataset } from "../workload/dataset.js";
import { HistoryRecorder } from "../workload/history.js";
import type { History } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import { takeSnapshot } from "../workload/snapshot.js";
import { startWritersOn } from "../workload/wire-writers.js";
import type { ShutdownSteps } from "./grace-contract.js";
import { graceContract, shutdownStepsOfMode } from "./grace-contract.js";
import type { StopFacts } from "./stop-outcome.js";
import { stopFactsOf, withSnapshotFile } from "./stop-outcome.js";

/** The mark the after-snapshot contract compares with (configs/modes.ts names it so). */
export const SNAPSHOT_MARK = "snapshot";

const PRELOAD_TIMEOUT_MS = 900_000;
const CHILD_TIMEOUT_MS = 600_000;

/** One stop of the grace sweep: a mode, a dataset, a grace. Times in ms. */
export interface GraceCellPlan {
  mode: ModeSpec;
  datasetMiB: number;
  graceMs: number;
  image: string;
  repetition?: number;
  workload?: WorkloadShape;
  keepArtifacts?: boolean;
}

/** What one stop measured, and its verdict against the contract its exit code and log put it under. */
export interface GraceCellResult {
  mode: string;
  datasetMiB: number;
  graceMs: number;
  repetition: number;
  serverVersion: string;
  stop: StopFacts;
  situation: string;
  expected: SourcedContract;
  verdict: Verdict;
  recoveryMs: number;
  datasetKeys: number;
  durationMs: number;
  artifactsDir?: string;
}

/**
 * Preloads the dataset, waits for any background rewrite the preload started, writes from several
 * clients (taking a BGSAVE mark first where a crash would fall back to a snapshot), stops the
 * container with the grace while the writes go on, reads the exit code and the log, starts it
 * again and holds what came back to the contract the stop's outcome falls under.
 */
export async function runGraceCell(plan: GraceCellPlan): Promise<GraceCellResult> {
  const startedAtMs = Date.now();
  const workload = plan.workload ?? DEFAULT_WORKLOAD;
  const steps = shutdownStepsOfMode(plan.mode);
  const caseName = `grace--${plan.mode.mode}--${plan.datasetMiB}MiB--${plan.graceMs / 1000}s${plan.repetition && plan.repetition > 1 ? `--${plan.repetition}` : ""}`;
  const keyPrefix = `w:${caseName}`;
  const volume = await createVolume(`grace-${plan.mode.mode}`);
  let node: StartedRedisNode | undefined;
  let history: History | undefined;
  try {
    node = await new RedisNode(plan.image, plan.mode.configFile).withVolume(volume).start();
    const started = node;
    const serverVersion = serverVersionOf(await started.info("server"));
    const datasetKeys = plan.datasetMiB > 0 ? (await started.withClient((redis) => preloadDataset(redis, plan.datasetMiB), PRELOAD_TIMEOUT_MS)).keys : 0;
    // The preload may have started an AOF rewrite: stop a steady server, not one killing its rewrite child.
    await started.withClient((redis) => waitForNoChild(redis), CHILD_TIMEOUT_MS);

    const recorder = new HistoryRecorder(systemClock);
    const writers = await startWritersOn(started, { clients: workload.clients, depth: workload.depth, keyPrefix, valueBytes: workload.valueBytes, recorder });
    await sleep(workload.writeBeforeMs);
    if (needsSnapshotMark(steps)) await started.withClient((redis) => takeSnapshot(redis, recorder, SNAPSHOT_MARK), CHILD_TIMEOUT_MS);
    await sleep(workload.writeAfterSnapshotMs);

    const stopAtMs = Date.now();
    const faultStartMs = systemClock.nowMs();
    const { exitCode } = await started.stop(plan.graceMs);
    recorder.addMark(FAULT_MARK, faultStartMs, systemClock.nowMs());
    const logged = stopFactsOf(exitCode, await started.logs(), Date.now() - stopAtMs);
    await writers.stop();
    const recoveryMs = await started.startAgain();
    const stop = steps.finalSave ? withSnapshotFile(logged, await snapshotMtimeMs(started), stopAtMs) : logged;

    const recorded = recorder.history();
    history = recorded;
    const found = await started.withClient((redis) => readBack(redis, keyPrefix, recorded), 120_000);
    const analysis = analyzeLoss(recorded, found);
    const applies = graceContract(plan.mode, steps, stop);
    const proof = { claim: `the stop ended as its exit code and log say (${applies.situation})`, held: applies.explained, seen: stop.seen };
    const verdict = withFaultProofs(checkContract(applies.expected.contract, analysis, recorded, datasetKeys), [proof], []);
    const result: GraceCellResult = {
      mode: plan.mode.mode,
      datasetMiB: plan.datasetMiB,
      graceMs: plan.graceMs,
      repetition: plan.repetition ?? 1,
      serverVersion,
      stop,
      situation: applies.situation,
      expected: applies.expected,
      verdict,
      recoveryMs,
      datasetKeys,
      durationMs: 0,
    };
    if (verdict.valid !== true || plan.keepArtifacts) {
      result.artifactsDir = await keepArtifacts({
        caseName,
        history: recorded,
        verdict: result,
        redisLog: await started.logs(),
        configFile: plan.mode.configFile,
        dataDirListing: await started.dataDirListing(),
      });
    }
    result.durationMs = Date.now() - startedAtMs;
    return result;
  } catch (error) {
    throw await failedCaseError(error, { caseName, history, configFile: plan.mode.configFile, server: node });
  } finally {
    await node?.remove();
    await removeVolume(volume);
  }
}

/** A BGSAVE mark is needed where a stop cut short falls back to a snapshot: save points and no AOF. Pure. */
export function needsSnapshotMark(steps: ShutdownSteps): boolean {
  return steps.finalSave && !steps.aof;
}

/** The mtime of /data/dump.rdb (ms since the epoch, the kernel's clock), or null when there is none. */
async function snapshotMtimeMs(node: StartedRedisNode): Promise<number | null> {
  const container = (await dockerEngine()).getContainer(node.shortId);
  const exec = await container.exec({ Cmd: ["sh", "-c", "date -r /data/dump.rdb +%s%3N 2>/dev/null || true"], AttachStdout: true, AttachStderr: true });
  const chunks: Buffer[] = [];
  for await (const chunk of await exec.start({})) chunks.push(chunk as Buffer);
  const text = demuxDockerLog(Buffer.concat(chunks)).trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

async function waitForNoChild(redis: Redis): Promise<void> {
  const deadline = Date.now() + CHILD_TIMEOUT_MS;
  for (;;) {
    const info = parseInfo(await redis.info("persistence"));
    if (info.get("aof_rewrite_in_progress") !== "1" && info.get("rdb_bgsave_in_progress") !== "1" && info.get("aof_rewrite_scheduled") !== "1") return;
    if (Date.now() > deadline) throw new Error(`a background save or AOF rewrite still ran after ${CHILD_TIMEOUT_MS} ms`);
    await sleep(50);
  }
}
