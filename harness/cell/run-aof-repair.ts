import path from "node:path";
import { analyzeLoss } from "../checkers/loss.js";
import { lastIncrAof } from "../faults/aof-files.js";
import { damageAofMiddle } from "../faults/aof-damage.js";
import type { AofDamage } from "../faults/aof-damage.js";
import { fixAof } from "../faults/check-aof-fix.js";
import { logLines } from "../faults/log-lines.js";
import { serverVersionOf } from "../runtime/redis-client.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { keepArtifacts } from "../store/artifacts.js";
import { systemClock } from "../workload/clock.js";
import { HistoryRecorder } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import { startWritersOn } from "../workload/wire-writers.js";
import type { CellStorage } from "./storage.js";

/** A damaged-AOF repair case: a mode's config on fault-fs, and how long to write first (ms). */
export interface AofRepairPlan {
  mode: string;
  configFile: string;
  image: string;
  storage: CellStorage;
  writeMs?: number;
  clients?: number;
}

/** What a repair showed: Redis's refusal, what redis-check-aof --fix dropped, and what was lost. Times in ms. */
export interface AofRepairResult {
  serverVersion: string;
  /** The log line Redis refused to start with; undefined if it started on the damaged AOF. */
  refusal?: string;
  damage: AofDamage;
  fixExitCode: number;
  fixDroppedBytes: number;
  acknowledged: number;
  lostAcknowledged: number;
  /** Surviving writes after a lost one of the same client: a fix that truncates leaves none. */
  gaps: number;
  corrupted: number;
  recoveryMs: number;
  artifactsDir?: string;
}

const REFUSAL_LINE = /Bad file format|Unexpected end of file|Unrecoverable error/;

/**
 * Writes, SIGKILLs Redis, lets every write reach the backing dir (sync-all: no power cut here),
 * zeroes a record in the middle of the incremental AOF, starts Redis (expected to refuse), runs
 * `redis-check-aof --fix`, starts again and reads back. Removes what it created.
 */
export async function runAofRepair(plan: AofRepairPlan): Promise<AofRepairResult> {
  const caseName = `${plan.mode}--damaged-aof-repair`;
  const keyPrefix = `w:${caseName}`;
  const dataDir = await plan.storage.create(plan.mode);
  let node: StartedRedisNode | undefined;
  try {
    const faultFs = dataDir.faultFs;
    if (!faultFs) throw new Error("the damaged-AOF repair needs /data on fault-fs");
    node = await new RedisNode(plan.image, plan.configFile).withVolume(dataDir.source).start();
    const started = node;
    const serverVersion = serverVersionOf(await node.info("server"));
    const recorder = new HistoryRecorder(systemClock);
    const writers = await startWritersOn(started, { clients: plan.clients ?? 4, depth: 1, keyPrefix, valueBytes: 64, recorder });
    await new Promise((resolve) => setTimeout(resolve, plan.writeMs ?? 1_000));
    await writers.stop();
    await node.signal("SIGKILL");
    await node.waitUntilExited();
    await faultFs.syncAll();
    const damage = await damageAofMiddle(path.join(faultFs.backingDir, await lastIncrAof(faultFs.mountPoint)));

    let refusal: string | undefined;
    try {
      await node.startAgain();
      await node.signal("SIGKILL");
      await node.waitUntilExited();
    } catch {
      refusal = logLines(await node.logs(), REFUSAL_LINE).at(-1) ?? "(no recognised log line)";
    }
    const fix = await fixAof(plan.image, dataDir.source);
    const recoveryMs = await node.startAgain();

    const history = recorder.history();
    const analysis = analyzeLoss(history, await node.withClient((redis) => readBack(redis, keyPrefix, history), 60_000));
    const result: AofRepairResult = {
      serverVersion,
      ...(refusal === undefined ? {} : { refusal }),
      damage,
      fixExitCode: fix.exitCode,
      fixDroppedBytes: fix.droppedBytes,
      acknowledged: analysis.acknowledged,
      lostAcknowledged: analysis.lostAcknowledged.length,
      gaps: analysis.gaps.length,
      corrupted: analysis.corrupted.length,
      recoveryMs,
    };
    if (!refusal || fix.exitCode !== 0 || result.gaps > 0 || result.corrupted > 0) {
      result.artifactsDir = await keepArtifacts({
        caseName,
        history,
        verdict: { ...result, fixOutput: fix.output },
        redisLog: await node.logs(),
        configFile: plan.configFile,
        dataDirListing: await node.dataDirListing(),
      });
    }
    return result;
  } finally {
    await node?.remove();
    await dataDir.remove();
  }
}
