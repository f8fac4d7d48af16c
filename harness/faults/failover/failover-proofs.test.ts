import { describe, expect, it } from "vitest";
import { acknowledgedWhileCutOffProof, failoverProof, fullResyncProof, noFailoverProof, noTiltProof, oneFailoverProof, rejoinedProof, restartedInPlaceProof } from "./failover-proofs.js";

describe("failover proofs", () => {
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
    expect(noTiltProof(["1:X 01 Dec 12:00:00.000 # +sdown master", ""]).held).toBe(true);
    const tilted = noTiltProof(["", "1:X 01 Dec 12:00:00.000 # +tilt #tilt mode entered"]);
    expect(tilted.held).toBe(false);
    expect(tilted.seen).toMatch(/\+tilt/);
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
