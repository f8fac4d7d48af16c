import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { replicaConvergence } from "../harness/checkers/replica-convergence.js";
import { replicaCopies } from "../harness/topology/replica-copies.js";
import { SentinelGroup } from "../harness/topology/sentinel-group.js";
import type { StartedSentinelGroup } from "../harness/topology/sentinel-group.js";
import { waitUntilSettled } from "../harness/topology/settle.js";
import { HistoryRecorder } from "../harness/workload/history.js";
import type { History } from "../harness/workload/history.js";
import { systemClock } from "../harness/workload/clock.js";
import { readBack } from "../harness/workload/readback.js";
import { encodeRecord, recordKey } from "../harness/workload/record.js";

// The convergence check on real replicas: it holds on a group left alone, and goes red when one
// replica is made to differ (replica-read-only turned off and one record deleted on it).
const KEY_PREFIX = "w:convergence";
const RECORDS = 200;

describe("replica convergence (primary, two replicas, three Sentinels)", () => {
  let group: StartedSentinelGroup;
  let primaryIp: string;
  let history: History;

  beforeAll(async () => {
    group = await new SentinelGroup(inject("redisImage"), MODES["aof-everysec"].configFile).start();
    ({ primaryIp } = await waitUntilSettled(group, 30_000));
    const recorder = new HistoryRecorder(systemClock);
    await group.nodeAt(primaryIp).node.withClient(async (redis) => {
      for (let seq = 0; seq < RECORDS; seq++) {
        recorder.invoke(0, seq);
        await redis.set(recordKey(KEY_PREFIX, { client: 0, seq }), encodeRecord({ client: 0, seq }, 32));
        recorder.complete(0, seq, "ok");
      }
    });
    history = recorder.history();
  }, 90_000);

  afterAll(async () => {
    await group?.remove();
  });

  const check = async () => {
    const primary = await group.nodeAt(primaryIp).node.withClient((redis) => readBack(redis, KEY_PREFIX, history));
    return replicaConvergence(primary, await replicaCopies(group, primaryIp, KEY_PREFIX, history), group.nodes.length - 1);
  };

  it("holds when the replicas are left alone: both caught up and read what the primary reads", { timeout: 60_000 }, async () => {
    const finding = await check();
    expect(finding.reasons).toEqual([]);
    expect(finding.valid).toBe(true);
  });

  it("goes red when one replica lacks a record the primary holds", { timeout: 60_000 }, async () => {
    const replica = group.nodes.find((n) => n.ip !== primaryIp);
    if (!replica) throw new Error("the group has no replica");
    await replica.node.withClient(async (redis) => {
      await redis.config("SET", "replica-read-only", "no");
      await redis.del(recordKey(KEY_PREFIX, { client: 0, seq: 7 }));
    });
    const finding = await check();
    expect(finding.valid).toBe(false);
    expect(finding.divergent).toBe(1);
    expect(finding.evidence).toEqual([`replica ${replica.ip} 0:7: present on the primary, missing on the replica`]);
  });
});
