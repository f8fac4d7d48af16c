import { setTimeout as sleep } from "node:timers/promises";
import debug from "debug";
import type { SourcedContract } from "../../configs/modes.js";
import { checkContract } from "../checkers/check-contract.js";
import type { Contract } from "../checkers/contract.js";
import type { Verdict } from "../checkers/verdict.js";
import { failoverCellLossWindowMs } from "../checkers/failover-window.js";
import { FAULT_MARK, analyzeLoss } from "../checkers/loss.js";
import { replicaConvergence, withReplicaConvergence } from "../checkers/replica-convergence.js";
import { measureThroughput } from "../checkers/throughput.js";
import type { FaultContext, FaultProof } from "../faults/fault.js";
import type { FailoverFault } from "../faults/failover/failover-fault.js";
import { noReplicasRefusals, noTiltProof, promotionCauseProof, readFromPromotedProof, refusedWithoutReplicasProof } from "../faults/failover/failover-proofs.js";
import { SENTINEL_CATCH_UP_DEADLINE_MS } from "../faults/failover/primary-graceful-failover.js";
import { NEWER_IMAGE_HINT } from "../faults/failover/require-behaviour.js";
import { VERSION_DIFFERENCES, hasBehaviour } from "../../configs/version-differences.js";
import { serverVersionOf } from "../runtime/redis-client.js";
import { failedCaseError, keepArtifacts } from "../store/artifacts.js";
import { followPrimary } from "../topology/follow-primary.js";
import { replicaCopies } from "../topology/replica-copies.js";
import { SentinelGroup } from "../topology/sentinel-group.js";
import type { StartedSentinelGroup } from "../topology/sentinel-group.js";
import { waitUntilSettled } from "../topology/settle.js";
import type { AckPolicy } from "../workload/ack-policy.js";
import { needsWaitaof, writeUnder } from "../workload/ack-policy.js";
import { systemClock } from "../workload/clock.js";
import { HistoryRecorder } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import { takeSnapshot } from "../workload/snapshot.js";
import { startWriters } from "../workload/writers.js";
import { withFaultProofs } from "./fault-proofs.js";
import type { CellResult, WorkloadShape } from "./run-cell.js";

const log = debug("redis-persistence:failover-cell");

/** The workload of a failover cell: fewer writes in flight than a single node's, so that Sentinel's timers are not starved (TILT) on 2 cores. Times in ms. */
export const FAILOVER_WORKLOAD: WorkloadShape = { clients: 4, depth: 2, valueBytes: 64, writeBeforeMs: 1_500, writeAfterSnapshotMs: 1_000 };

/**
 * After the failover the writers go on until the new primary has acknowledged this many writes
 * (or for at most FOLLOW_DEADLINE_MS), then for WRITE_AFTER_FAILOVER_MS more: the read-back then
 * shows what a failover keeps of both sides. The Sentinels other than the leader learn of the new
 * primary from its hello messages (every 2 s), so a client may need a few seconds to be sent there.
 */
const ACKS_AFTER_FAILOVER = 100;
const FOLLOW_DEADLINE_MS = 8_000;
const WRITE_AFTER_FAILOVER_MS = 500;
/**
 * How long a writer may wait for its client to reach a primary again, in ms: past the longest
 * time a fault gives the Sentinels to name one (primary-graceful-failover's), so a writer is
 * still there to write to it.
 */
const FOLLOW_TIMEOUT_MS = SENTINEL_CATCH_UP_DEADLINE_MS + 5_000;
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
  /** The contract is min-replicas-to-write 1's with this max-lag (s): the cell then proves the knob refused writes while the primary was cut off. */
  minReplicasLagS?: number;
}

/** A failover cell's result: a CellResult of the sentinel topology under an ack policy. */
export interface FailoverCellResult extends CellResult {
  topology: "sentinel";
  acks: AckPolicy;
  /** Judges this run's history and read-back against another contract, without the replicas' convergence (a weakening: the same measurement must then go red); not serialised. */
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
    if (needsWaitaof(plan.acks)) await refuseWithoutWaitaof(started, primaryIp, serverVersion, plan.mode);
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
    const contract = plan.expected.contract;
    if (contract.kind === "after-snapshot-only") {
      // As a single node's rdb cell: a BGSAVE on the primary, marked, then writes the snapshot does not hold.
      await started.nodeAt(primaryIp).node.withClient((redis) => takeSnapshot(redis, recording, contract.mark), 120_000);
      await sleep(workload.writeAfterSnapshotMs);
    }
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
    const sentinelLogs = await Promise.all(started.sentinels.map((sentinel) => sentinel.logs()));
    proofs.push(noTiltProof(sentinelLogs));
    if (plan.fault.promotedBecause) proofs.push(promotionCauseProof(plan.fault.promotedBecause, struck.oldPrimaryIp, sentinelLogs));
    log("%s: healed after %d ms", caseName, Date.now() - startedAtMs);

    const recorded = recording.history();
    if (plan.minReplicasLagS !== undefined) {
      const refusals = noReplicasRefusals(recorded, faultStartMs, faultStartMs + struck.failoverMs);
      measurements.refusedNoReplicas = refusals.refused;
      if (refusals.firstAfterFaultMs !== null) measurements.firstNoReplicasAfterFaultMs = Math.round(refusals.firstAfterFaultMs);
      proofs.push(refusedWithoutReplicasProof(refusals, plan.minReplicasLagS));
    }
    // Read back from the primary the Sentinels name after the group settled, the old primary a replica again.
    const settledPrimaryIp = await started.primaryIp();
    const primary = started.nodeAt(settledPrimaryIp).node;
    proofs.push(readFromPromotedProof(struck.newPrimaryIp, settledPrimaryIp));
    const found = await primary.withClient((redis) => readBack(redis, keyPrefix, recorded), 60_000);
    const measured = analyzeLoss(recorded, found);
    const analysis = { ...measured, lossWindowMs: failoverCellLossWindowMs(measured.lossWindowMs, measured.writes) };
    const convergence = replicaConvergence(found, await replicaCopies(started, settledPrimaryIp, keyPrefix, recorded), started.nodes.length - 1);
    measurements.divergentReplicas = convergence.divergent;
    measurements.replicasConverged = String(convergence.valid);
    // A weakening is judged without the replicas' convergence: a divergent replica must not make it red for another reason.
    const judge = (contract: Contract): Verdict => withFaultProofs(checkContract(contract, analysis, recorded), proofs, []);
    const verdict = withReplicaConvergence(judge(plan.expected.contract), convergence);
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

/** Refuses, with the reason, a WAITAOF policy on a server without it (before 7.2) or without an AOF to fsync (WAITAOF 1 asks for a local fsync). */
async function refuseWithoutWaitaof(group: StartedSentinelGroup, primaryIp: string, serverVersion: string, mode: string): Promise<void> {
  const { waitaof } = VERSION_DIFFERENCES;
  if (!hasBehaviour(serverVersion, waitaof)) {
    throw new Error(`acks waitaof-1-1 needs WAITAOF (since Redis ${waitaof.since}, every Valkey; ${waitaof.source}); this group runs ${serverVersion}: ${NEWER_IMAGE_HINT}, or use --acks wait-1`);
  }
  const [appendonly, appendfsync] = await group.nodeAt(primaryIp).node.withClient(
    async (redis) => Promise.all([redis.config("GET", "appendonly"), redis.config("GET", "appendfsync")].map(async (reply) => ((await reply) as string[])[1])),
    2_000,
  );
  if (appendonly !== "yes") throw new Error(`acks waitaof-1-1 needs appendonly yes (WAITAOF 1 1 waits for an fsync of the primary's AOF); mode ${mode} has appendonly ${appendonly ?? "(unknown)"}: use an AOF mode or --acks wait-1`);
  // Under appendfsync no Redis never fsyncs the AOF itself, so WAITAOF could confirm nothing: every write would come back unknown.
  if (appendfsync === "no") throw new Error(`acks waitaof-1-1 needs an AOF that Redis fsyncs (appendfsync always or everysec); mode ${mode} has appendfsync no: use aof-always or --acks wait-1`);
}
