import { describe, expect, it } from "vitest";
import {
  acknowledgedWhileCutOffProof,
  failoverProof,
  fullResyncProof,
  handedOverInSyncProof,
  handedOverProof,
  noFailoverProof,
  noReplicasRefusals,
  noTiltProof,
  promotionCauseProof,
  readFromPromotedProof,
  refusedWithoutReplicasProof,
  oneFailoverProof,
  rejoinedProof,
  replicasBehindProof,
  replicasInSyncAtShutdownProof,
  restartedInPlaceProof,
} from "./failover-proofs.js";

// Lines as Redis 7.0.15 writes them (server.c prepareForShutdown / finishShutdown).
const REQUESTED = "1:M 02 Dec 2026 03:20:00.000 # User requested shutdown...";
const WAITED = "1:M 02 Dec 2026 03:20:00.100 * Waiting for replicas before shutting down.";
const IN_SYNC = (n: number, m: number): string => `1:M 02 Dec 2026 03:20:00.400 * ${n} of ${m} replicas are in sync when shutting down.`;
const shutdownLog = (...lines: string[]): string => lines.join("\n");

describe("failover proofs", () => {
  it("a graceful stop bit only when the primary waited for lagging replicas and exited with every one of them in sync", () => {
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(2, 2)), 2).held).toBe(true);
    // shutdown-timeout 0: no wait, replicas behind.
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, IN_SYNC(0, 2)), 2).held).toBe(false);
    // In sync without a wait: the wait was not what kept the writes.
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, IN_SYNC(2, 2)), 2).held).toBe(false);
    // Waited, but the timeout ran out with one behind.
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(1, 2)), 2).held).toBe(false);
    // A replica had dropped off: "1 of 1" is not the group's two.
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(1, 1)), 2).held).toBe(false);
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(0, 0)), 0).held).toBe(false);
    expect(replicasInSyncAtShutdownProof("", 2).held).toBe(false);
    // Only the last shutdown counts: an earlier one's wait does not speak for it, nor its "in sync".
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(2, 2), REQUESTED, IN_SYNC(0, 2)), 2).held).toBe(false);
    expect(replicasInSyncAtShutdownProof(shutdownLog(REQUESTED, WAITED, IN_SYNC(0, 2), REQUESTED, IN_SYNC(2, 2)), 2).held).toBe(false);
  });

  it("the replicas were behind only when every one was paused at the strike and the primary's offset grew during the freeze", () => {
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 90_000, frozenAtStrike: 2, replicas: 2 }).held).toBe(true);
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 90_000, frozenAtStrike: 1, replicas: 2 }).held).toBe(false);
    // No writes during the freeze (writers stalled): nothing for the wait to keep.
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 1_014, frozenAtStrike: 2, replicas: 2 }).held).toBe(false);
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 1_064, frozenAtStrike: 2, replicas: 2 }).held).toBe(false);
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 1_065, frozenAtStrike: 2, replicas: 2 }).held).toBe(true);
    expect(replicasBehindProof({ offsetAtFreeze: 1_000, offsetAtStrike: 90_000, frozenAtStrike: 0, replicas: 0 }).held).toBe(false);
  });

  it("FAILOVER handed over only when the old primary is a replica of another node with its link up", () => {
    const info = (entries: [string, string][]): Map<string, string> => new Map(entries);
    expect(handedOverProof("a", info([["role", "slave"], ["master_host", "b"], ["master_link_status", "up"]]), 300).held).toBe(true);
    expect(handedOverProof("a", info([["role", "master"], ["failover_state", "waiting-for-sync"]]), 7_000).held).toBe(false);
    expect(handedOverProof("a", info([["role", "slave"], ["master_host", "b"], ["master_link_status", "down"]]), 300).held).toBe(false);
    expect(handedOverProof("a", info([["role", "slave"], ["master_host", "a"], ["master_link_status", "up"]]), 300).held).toBe(false);
  });

  it("the handover kept the stream only when the new primary accepted a partial resync and no full resync followed", () => {
    expect(handedOverInSyncProof("* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.").held).toBe(true);
    expect(handedOverInSyncProof("* Full resync from master: 8f2c:1234").held).toBe(false);
    expect(handedOverInSyncProof("* MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.\n* Full resync from master: 8f2c:1234").held).toBe(false);
    expect(handedOverInSyncProof("").held).toBe(false);
  });

  it("a failover holds only when Sentinel names a different address", () => {
    expect(failoverProof("10.0.0.10", "10.0.0.11", 3_000).held).toBe(true);
    expect(failoverProof("10.0.0.10", undefined, 20_000).held).toBe(false);
    expect(failoverProof("10.0.0.10", "10.0.0.10", 20_000).held).toBe(false);
  });

  it("the old primary rejoined only as a replica of the new primary", () => {
    expect(rejoinedProof("a", "b", new Map([["role", "slave"], ["master_host", "b"]])).held).toBe(true);
    expect(rejoinedProof("a", "b", new Map([["role", "master"]])).held).toBe(false);
    expect(rejoinedProof("a", "b", new Map([["role", "slave"], ["master_host", "c"]])).held).toBe(false);
  });

  it("a second failover before the group settled fails the one-failover proof", () => {
    expect(oneFailoverProof("10.0.0.11", "10.0.0.11").held).toBe(true);
    expect(oneFailoverProof("10.0.0.11", "10.0.0.12").held).toBe(false);
  });

  it("a cut-off primary acknowledged writes only if its offset grew and it still called itself master", () => {
    expect(acknowledgedWhileCutOffProof(100, 500, "master").held).toBe(true);
    expect(acknowledgedWhileCutOffProof(100, 100, "master").held).toBe(false);
    expect(acknowledgedWhileCutOffProof(100, 500, "slave").held).toBe(false);
    // One replication PING (14 bytes) while the writers were cut off too is no write acknowledged.
    expect(acknowledgedWhileCutOffProof(1_000_000, 1_000_014, "master").held).toBe(false);
    expect(acknowledgedWhileCutOffProof(1_000_000, 1_000_064, "master").held).toBe(false);
    expect(acknowledgedWhileCutOffProof(1_000_000, 1_000_065, "master").held).toBe(true);
  });

  it("TILT in any Sentinel's log fails the no-TILT proof", () => {
    const monitor = "1:X 01 Dec 12:00:00.000 # +monitor master rp-group 10.0.0.10 6379 quorum 2";
    expect(noTiltProof([`${monitor}\n1:X 01 Dec 12:00:01.000 # +sdown master`, monitor]).held).toBe(true);
    const tilted = noTiltProof([monitor, `${monitor}\n1:X 01 Dec 12:00:00.000 # +tilt #tilt mode entered`]);
    expect(tilted.held).toBe(false);
    expect(tilted.seen).toMatch(/\+tilt/);
  });

  it("logs that show no running Sentinel prove no absence of TILT", () => {
    const monitor = "1:X 01 Dec 12:00:00.000 # +monitor master rp-group 10.0.0.10 6379 quorum 2";
    expect(noTiltProof([]).held).toBe(false);
    const silent = noTiltProof([monitor, ""]);
    expect(silent.held).toBe(false);
    expect(silent.seen).toMatch(/1 of 2 Sentinel log\(s\) hold no \+monitor line/);
  });

  it("a restart in place holds only with a new run_id and back within down-after-milliseconds", () => {
    expect(restartedInPlaceProof("aaaa", "bbbb", 900, 1_500).held).toBe(true);
    expect(restartedInPlaceProof("aaaa", "aaaa", 900, 1_500).held).toBe(false);
    expect(restartedInPlaceProof("aaaa", "bbbb", 1_500, 1_500).held).toBe(false);
    expect(restartedInPlaceProof(undefined, "bbbb", 900, 1_500).held).toBe(false);
  });

  it("no failover holds only when the group settled on the same address and no Sentinel switched master", () => {
    expect(noFailoverProof("10.0.0.10", "10.0.0.10", ["1:X # +sdown master rp-group 10.0.0.10 6379", ""]).held).toBe(true);
    expect(noFailoverProof("10.0.0.10", "10.0.0.11", ["", ""]).held).toBe(false);
    const switched = noFailoverProof("10.0.0.10", "10.0.0.10", ["1:X # +switch-master rp-group 10.0.0.10 6379 10.0.0.11 6379"]);
    expect(switched.held).toBe(false);
    expect(switched.seen).toMatch(/\+switch-master/);
  });

  it("a full resync holds only with a new replication ID, one full sync per replica, and every replica on the new ID", () => {
    const replicas = [
      { ip: "a", replid: "new" },
      { ip: "b", replid: "new" },
    ];
    expect(fullResyncProof("old", "new", 2, replicas).held).toBe(true);
    expect(fullResyncProof("old", "old", 2, replicas).held).toBe(false);
    expect(fullResyncProof("old", "new", 1, replicas).held).toBe(false);
    expect(fullResyncProof("old", "new", 2, [{ ip: "a", replid: "new" }, { ip: "b", replid: "old" }]).held).toBe(false);
    expect(fullResyncProof("old", "new", 0, []).held).toBe(false);
  });
});

describe("promotionCauseProof", () => {
  const odown = "1:X 02 Dec 2026 05:00:01.123 # +odown master rp-group 10.213.7.10 6379 #quorum 2/2";
  const sdown = "1:X 02 Dec 2026 05:00:00.900 # +sdown master rp-group 10.213.7.10 6379";
  const switched = "1:X 02 Dec 2026 05:00:02.000 # +switch-master rp-group 10.213.7.10 6379 10.213.7.11 6379";
  const otherOdown = "1:X 02 Dec 2026 05:00:01.123 # +odown master rp-group 10.213.7.100 6379 #quorum 2/2";
  const log = (...lines: string[]) => lines.join("\n");

  it("a detected failure needs a +odown naming the old primary before a +switch-master from it, in any Sentinel's log", () => {
    expect(promotionCauseProof("objective-down", "10.213.7.10", ["", log(sdown, odown, switched)]).held).toBe(true);
    const none = promotionCauseProof("objective-down", "10.213.7.10", [log(sdown, switched)]);
    expect(none.held).toBe(false);
    expect(none.seen).toBe("no Sentinel logged +odown for 10.213.7.10 before its +switch-master");
  });

  it("an +odown after the switch, or with no switch after it (a detection that came to nothing), does not count", () => {
    expect(promotionCauseProof("objective-down", "10.213.7.10", [log(switched, odown)]).held).toBe(false);
    expect(promotionCauseProof("objective-down", "10.213.7.10", [log(sdown, odown), log(switched)]).held).toBe(false);
  });

  it("reads the address exactly: another node's +odown or switch, or a +sdown alone, is not the old primary's", () => {
    expect(promotionCauseProof("objective-down", "10.213.7.10", [log(otherOdown, switched)]).held).toBe(false);
    expect(promotionCauseProof("objective-down", "10.213.7.1", [log(odown, switched)]).held).toBe(false);
    expect(promotionCauseProof("objective-down", "10.213.7.10", [log(sdown.replace("+sdown", "-odown"), switched)]).held).toBe(false);
  });

  it("a requested failover holds only while no Sentinel took the healthy primary for down before the switch", () => {
    expect(promotionCauseProof("requested", "10.213.7.10", [log(sdown, switched)]).held).toBe(true);
    expect(promotionCauseProof("requested", "10.213.7.10", [log(switched, odown)]).held).toBe(true);
    const detected = promotionCauseProof("requested", "10.213.7.10", [log(odown, switched)]);
    expect(detected.held).toBe(false);
    expect(detected.seen).toContain("1 +odown line(s) for 10.213.7.10 before a +switch-master");
  });

  it("a requested failover needs a +switch-master from the old primary: logs without one show no failover at all", () => {
    const none = promotionCauseProof("requested", "10.213.7.10", [log(sdown), ""]);
    expect(none.held).toBe(false);
    expect(none.seen).toBe("no Sentinel logged +switch-master from 10.213.7.10");
    expect(promotionCauseProof("requested", "10.213.7.10", []).held).toBe(false);
  });
});

describe("readFromPromotedProof", () => {
  it("holds only when the records were read from the node the fault's failover promoted", () => {
    expect(readFromPromotedProof("10.213.7.12", "10.213.7.12").held).toBe(true);
    const moved = readFromPromotedProof("10.213.7.12", "10.213.7.11");
    expect(moved.held).toBe(false);
    expect(moved.seen).toBe("read back from 10.213.7.11");
  });
});

describe("noReplicasRefusals and refusedWithoutReplicasProof (min-replicas-to-write)", () => {
  const op = (seq: number, type: "ok" | "fail" | "info", atMs: number, error?: string) => ({ client: 0, seq, type, atMs, ...(error ? { error } : {}) });
  const history = {
    marks: [],
    ops: [
      op(0, "fail", 500, "NOREPLICAS Not enough good replicas to write."),
      op(1, "ok", 1_100),
      op(2, "fail", 3_900, "NOREPLICAS Not enough good replicas to write."),
      op(3, "fail", 3_950, "NOREPLICAS Not enough good replicas to write."),
      op(4, "fail", 4_000, "OOM command not allowed when used memory > 'maxmemory'."),
      op(5, "info", 4_100, "NOREPLICAS in a message of unknown outcome"),
      op(6, "fail", 16_500, "NOREPLICAS Not enough good replicas to write."),
    ],
  };

  it("counts only NOREPLICAS replies between the fault and the failover (the new primary may refuse a few afterwards)", () => {
    expect(noReplicasRefusals(history, 1_000, 16_000)).toEqual({ refused: 2, firstAfterFaultMs: 2_900 });
    expect(noReplicasRefusals(history, 1_000, 3_900)).toEqual({ refused: 1, firstAfterFaultMs: 2_900 });
  });

  it("holds when the knob refused a write, and not otherwise", () => {
    const proof = refusedWithoutReplicasProof(noReplicasRefusals(history, 1_000, 16_000), 2);
    expect(proof.held).toBe(true);
    expect(proof.seen).toBe("2 writes answered NOREPLICAS, the first 2900 ms after the cut");
    const none = refusedWithoutReplicasProof(noReplicasRefusals(history, 1_000, 3_800), 2);
    expect(none).toMatchObject({ held: false, seen: "no write was answered NOREPLICAS" });
  });
});
