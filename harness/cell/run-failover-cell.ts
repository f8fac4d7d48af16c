import { setTimeout as sleep } from "node:timers/promises";
import debug from "debug";
import type { SourcedContract } from "../../configs/modes.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Contract } from "../checkers/contract.js";
import type { Verdict } from "../checkers/verdict.js";
import { failoverLossWindowMs } from "../checkers/failover-window.js";
import { FAULT_MARK, analyzeLoss } from "../checkers/loss.js";
import { measureThroughput } from "../checkers/throughput.js";
import type { FaultContext, FaultProof } from "../faults/fault.js";
import type { FailoverFault } from "../faults/failover/failover-fault.js";
import { noTiltProof } from "../faults/failover/failover-proofs.js";
import { serverVersionOf } from "../runtime/redis-client.js";
import { failedCaseError, keepArtifacts } from "../store/artifacts.js";
import { followPrimary } from "../topology/follow-primary.js";
import { SentinelGroup } from "../topology/sentinel-group.js";
import type { StartedSentinelGroup } from "../topology/sentinel-group.js";
import { waitUntilSettled } from "../topology/settle.js";
import type { AckPolicy } from "../workload/ack-policy.js";
import { writeUnder } from "../workload/ack-policy.js";
import { systemClock } from "../workload/clock.js";
import { HistoryRecorder } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import { startWriters } from "../workload/writers.js";
import { withFaultProofs } from "./fault-proofs.js";
import type { CellResult, WorkloadShape } from "./run-cell.js";

const log = debug("redis-persistence:failover-cell");

/** The workload of a failover cell: fewer writes in flight than a single node's, so that Sentinel's timers are not starved (TILT) on 2 cores. Times in ms. */
export const FAILOVER_WORKLOAD: WorkloadShape = { clients: 4, depth: 2, valueBytes: 64, writeBeforeMs: 1_500, writeAfterSnapshotMs: 0 };

/**
 * After the failover the writers go on until the new primary has acknowledged this many writes
 * (or for at most FOLLOW_DEADLINE_MS), then for WRITE_AFTER_FAILOVER_MS more: the read-back then
 * shows what a failover keeps of both sides. The Sentinels other than the leader learn of the new
 * primary from its hello messages (every 2 s), so a client may need a few seconds to be sent there.
 */
const ACKS_AFTER_FAILOVER = 100;
const FOLLOW_DEADLINE_MS = 8_000;
const WRITE_AFTER_FAILOVER_MS = 500;
/** How long a writer may wait for its client to reach a primary again, in ms. */
const FOLLOW_TIMEOUT_MS = 20_000;
/** Per command, in ms: above WAIT's own timeout, so that a WAIT never times out in the client. */
const COMMAND_TIMEOUT_MS = 3_000;
const SETTLE_TIMEOUT_MS = 30_000;

/** One failover cell: a persistence mode's config on every node of the group, one fault, one ack policy. */
export interface FailoverCellPlan {
  mode: string;
  configFile: string;
  expected: SourcedContract;
  fault: FailoverFault;
  acks: AckPolicy;
  image: string;
  workload?: WorkloadShape;
  /** The case is red by design (a weakened contract): keep artifacts only if it is not. */
  expectBroken?: boolean;
}

/** A failover cell's result: a CellResult of the sentinel topology under an ack policy. */
export interface FailoverCellResult extends CellResult {
  topology: "sentinel";
  acks: AckPolicy;
  /** Judges this run's history and read-back against another contract (a weakening: the same measurement must then go red); not serialised. */
  judge(contract: Contract): Verdict;
}

/** Runs one failover cell end to end: group, writers through Sentinel, fault, heal, read back from the primary, check. Removes what it created. */
export async function runFailoverCell(plan: FailoverCellPlan): Promise<FailoverCellResult> {
  const startedAtMs = Date.now();
  const workload = plan.workload ?? FAILOVER_WORKLOAD;
  const caseName = `sentinel--${plan.mode}--${plan.fault.name}--${plan.acks}`;
  const keyPrefix = `w:${caseName}`;
  let group: StartedSentinelGroup | undefined;
  let recorder: HistoryRecorder | undefined;
  let stopWriters: (() => Promise<void>) | undefined;
  try {
    group = await new SentinelGroup(plan.image, plan.configFile).start();
    const started = group;
    const { primaryIp } = await waitUntilSettled(started, SETTLE_TIMEOUT_MS);
    log("%s: group settled after %d ms, primary %s", caseName, Date.now() - startedAtMs, primaryIp);
    const serverVersion = serverVersionOf(await started.nodeAt(primaryIp).node.info("server"));
    const recording = new HistoryRecorder(systemClock);
    recorder = recording;
    let stopping = false;
    const writers = await startWriters({
      clients: workload.clients,
      depth: workload.depth,
      keyPrefix,
      valueBytes: workload.valueBytes,
      recorder: recording,
      connect: () => started.connectWriter(COMMAND_TIMEOUT_MS),
      write: writeUnder(plan.acks),
      resumeAfterBreak: followPrimary(FOLLOW_TIMEOUT_MS, () => stopping),
    });
    stopWriters = async () => {
      stopping = true;
      await writers.stop();
    };
    await sleep(Math.max(workload.writeBeforeMs, plan.fault.minWriteBeforeMs ?? 0));
    log("%s: %d writes acknowledged, injecting %s", caseName, recording.acknowledgedCount(), plan.fault.name);
    const measurements: Record<string, number | string> = {};
    const proofs: FaultProof[] = [];
    const ctx: FaultContext = {
      volume: undefined,
      measure: (name, value) => {
        measurements[name] = value;
      },
      prove: (proof) => proofs.push(proof),
    };
    // A failover before the fault (a busy machine missing down-after-milliseconds) would be measured as the fault's.
    const primaryAtFault = await started.primaryIp();
    if (primaryAtFault !== primaryIp) throw new Error(`the Sentinels failed over from ${primaryIp} to ${primaryAtFault} before the fault: the run cannot tell what the fault loses`);
    const faultStartMs = systemClock.nowMs();
    const struck = await plan.fault.inject(started, ctx, { stopWriters: async () => stopWriters?.() });
    recording.addMark(FAULT_MARK, faultStartMs, systemClock.nowMs());
    const ackedAtFailover = recording.acknowledgedCount();
    if (!plan.fault.stopsWritersAtStrike) {
      const followDeadline = Date.now() + FOLLOW_DEADLINE_MS;
      while (recording.acknowledgedCount() < ackedAtFailover + ACKS_AFTER_FAILOVER && Date.now() < followDeadline) await sleep(50);
      measurements.ackedAfterFailover = recording.acknowledgedCount() - ackedAtFailover;
      await sleep(WRITE_AFTER_FAILOVER_MS);
    }
    await stopWriters();
    log("%s: failover to %s after %d ms; %d writes acknowledged", caseName, struck.newPrimaryIp, struck.failoverMs, recording.acknowledgedCount());
    await plan.fault.heal(started, struck, ctx);
    proofs.push(noTiltProof(await Promise.all(started.sentinels.map((sentinel) => sentinel.logs()))));
    log("%s: healed after %d ms", caseName, Date.now() - startedAtMs);

    const recorded = recording.history();
    // Read back from the primary the Sentinels name after the group settled, the old primary a replica again.
    const primary = started.nodeAt(await started.primaryIp()).node;
    const found = await primary.withClient((redis) => readBack(redis, keyPrefix, recorded), 60_000);
    const measured = analyzeLoss(recorded, found);
    const analysis = { ...measured, lossWindowMs: failoverLossWindowMs(measured.writes) };
    const judge = (contract: Contract): Verdict => withFaultProofs(checkContract(contract, analysis, recorded), proofs, []);
    const verdict = judge(plan.expected.contract);
    measurements.writesFailed = analysis.failed;
    measurements.writesUnknown = analysis.unknown;
    measurements.newPrimary = struck.newPrimaryIp;
    const result: FailoverCellResult = {
      mode: plan.mode,
      fault: plan.fault.name,
      topology: "sentinel",
      acks: plan.acks,
      image: plan.image,
      serverVersion,
      serverVersionAfter: serverVersionOf(await primary.info("server")),
      contractSource: plan.expected.source,
      verdict,
      throughput: measureThroughput(recorded),
      // Recovery of a failover: the time without a writable primary, from the fault to the Sentinels naming a new one.
      recoveryMs: struck.failoverMs,
      datasetKeys: 0,
      dataDirBytes: await primary.dataDirBytes(),
      durationMs: 0,
      measurements,
      proofs,
      judge,
    };
    if (verdict.valid !== !plan.expectBroken) {
      result.artifactsDir = await keepArtifacts({
        caseName,
        history: recorded,
        verdict: result,
        redisLog: await started.logs(),
        configFile: plan.configFile,
        dataDirListing: await primary.dataDirListing(),
      });
    }
    result.durationMs = Date.now() - startedAtMs;
    return result;
  } catch (error) {
    throw await failedCaseError(error, { caseName, history: recorder?.history(), configFile: plan.configFile, server: group });
  } finally {
    // Writers left running by a failure would keep their clients reconnecting to ports the next cell may get.
    await stopWriters?.();
    await group?.remove();
  }
}
