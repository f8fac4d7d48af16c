import { describe, expect, it } from "vitest";
import { TOTAL_LOSS_MARGIN_MS, checkContract } from "./check-contract.js";
import type { Contract } from "./contract.js";
import { clientRun, scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";
import { analyzeLoss } from "./loss.js";

type MarkSpec = { name: string; invokeAtMs: number; okAtMs: number };
function verdictOf(contract: Contract, writes: ScriptedWrite[], marks: MarkSpec[] = [], extraKeys = 0, preloaded = 0) {
  const { history, readBack } = scripted(writes, marks, extraKeys);
  return checkContract(contract, analyzeLoss(history, readBack), history, preloaded);
}
const everythingLost = (clients: number[], ms: number): ScriptedWrite[] => clients.flatMap((c) => clientRun(c, ms, ms));

describe("checkContract: what every verdict carries", () => {
  it("is valid with no reasons and no evidence when the contract holds", () => {
    const verdict = verdictOf({ kind: "none-lost" }, clientRun(0, 10));
    expect(verdict).toMatchObject({ valid: true, reasons: [], evidence: [], contract: { kind: "none-lost" } });
  });

  it("states the figures it rests on", () => {
    const writes: ScriptedWrite[] = [
      ...clientRun(0, 10, 3),
      { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: true },
      { client: 1, seq: 1, invokeAtMs: 2, okAtMs: 3, result: "fail", survives: true },
      { client: 1, seq: 2, invokeAtMs: 4, survives: "corrupted" },
    ];
    expect(verdictOf({ kind: "window", maxMs: 2000 }, writes, [], 5, 5).figures).toEqual({
      attempted: 13,
      acknowledged: 10,
      lostAcknowledged: 3,
      recoveredUnacknowledged: 1,
      refusedRecovered: 1,
      gaps: 0,
      orderViolations: 0,
      corrupted: 1,
      lossWindowMs: 3,
      allLost: false,
      clientsAllLost: 0,
      keysInDatabase: 15,
    });
  });

  it("rounds the window in the figures to a whole ms", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: true },
      { client: 0, seq: 1, invokeAtMs: 1, okAtMs: 3.6, survives: false },
    ];
    expect(verdictOf({ kind: "window", maxMs: 2000 }, writes).figures.lossWindowMs).toBe(3);
  });

  it("does not call nothing acknowledged a total loss", () => {
    const writes: ScriptedWrite[] = [{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: false }];
    const verdict = verdictOf({ kind: "none-lost" }, writes);
    expect(verdict.valid).toBe("unknown");
    expect(verdict.reasons).toEqual(["no write was acknowledged, so the run cannot tell what was lost"]);
    expect(verdict.figures).toMatchObject({ allLost: false, acknowledged: 0 });
  });

  it("keeps at most 10 records of evidence", () => {
    const verdict = verdictOf({ kind: "none-lost" }, clientRun(0, 50, 25));
    expect(verdict.evidence).toHaveLength(10);
    expect(verdict.evidence[0]).toBe("client 0 seq 25 (ok): missing");
  });

  it("describes a corrupted record with why it is", () => {
    const writes = clientRun(0, 3).map((w) => (w.seq === 2 ? { ...w, survives: "corrupted" as const } : w));
    const verdict = verdictOf({ kind: "none-lost" }, writes);
    expect(verdict.reasons).toEqual(["1 of 3 acknowledged writes lost (loss window 1 ms)", "1 records read back corrupted"]);
    expect(verdict.evidence).toEqual(["client 0 seq 2 (ok): corrupted (checksum mismatch)", "client 0 seq 2 (ok): corrupted (checksum mismatch)"]);
  });
});

describe("checkContract: none-lost", () => {
  it("names a bounded loss with its window", () => {
    expect(verdictOf({ kind: "none-lost" }, clientRun(0, 50, 5)).reasons).toEqual(["5 of 50 acknowledged writes lost (loss window 5 ms)"]);
  });

  it("names the clients that lost every write, one or several", () => {
    const one = verdictOf({ kind: "none-lost" }, [...clientRun(0, 10), ...clientRun(1, 10, 10)]);
    expect(one.reasons[0]).toBe("10 of 20 acknowledged writes lost; client 1 lost every acknowledged write, back to the start of the run (window unbounded)");
    const two = verdictOf({ kind: "none-lost" }, [...clientRun(0, 10), ...clientRun(3, 10, 10), ...clientRun(1, 10, 10)]);
    expect(two.reasons[0]).toBe("20 of 30 acknowledged writes lost; clients 1, 3 lost every acknowledged write, back to the start of the run (window unbounded)");
  });

  it("says a failover's unbounded window reaches back to a client's first write when no client lost everything", () => {
    // Found by review: the failover cell makes the window unbounded from its own measure, and the reason named an empty list of clients.
    const history = scripted(clientRun(0, 10, 3));
    const measured = analyzeLoss(history.history, history.readBack);
    const verdict = checkContract({ kind: "none-lost" }, { ...measured, lossWindowMs: null }, history.history, 0);
    expect(verdict.reasons[0]).toBe("3 of 10 acknowledged writes lost, back to a client's first acknowledged write (window unbounded)");
  });

  it("reports a gap with the first one it found", () => {
    const writes = clientRun(0, 10).map((w) => (w.seq === 4 ? { ...w, survives: false } : w));
    const verdict = verdictOf({ kind: "none-lost" }, writes);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toContain("5 writes survived after a lost acknowledged write of the same client (first: client 0 lost 4, kept 5)");
  });
});

describe("checkContract: window", () => {
  it("holds a window exactly at the bound", () => {
    expect(verdictOf({ kind: "window", maxMs: 30 }, clientRun(0, 100, 30)).valid).toBe(true);
  });

  it("says how many writes a window beyond the bound lost, and which", () => {
    const verdict = verdictOf({ kind: "window", maxMs: 29 }, clientRun(0, 100, 30));
    expect(verdict.reasons).toEqual(["loss window 30 ms exceeds 29 ms (30 acknowledged writes lost)"]);
    expect(verdict.evidence).toHaveLength(10);
    expect(verdict.evidence[0]).toBe("client 0 seq 70 (ok): missing");
  });

  it("judges a total loss against the bound plus the margin: unknown at or below it, false above", () => {
    expect(TOTAL_LOSS_MARGIN_MS).toBe(500);
    // 4 clients writing for 2000 ms each (span 1999.5 ms).
    const lost = everythingLost([0, 1], 2000);
    const at = verdictOf({ kind: "window", maxMs: 1999.5 - TOTAL_LOSS_MARGIN_MS }, lost);
    expect(at.valid).toBe("unknown");
    expect(at.reasons[0]).toBe(
      "all 4000 acknowledged writes lost, but the run wrote for only 2000 ms, not more than the 1499.5 ms window plus 500 ms: it cannot tell whether the loss stays within the window (write for longer)",
    );
    expect(at.evidence).toHaveLength(10);
    const above = verdictOf({ kind: "window", maxMs: 1499 }, lost);
    expect(above.valid).toBe(false);
    expect(above.reasons[0]).toBe("all 4000 acknowledged writes lost: more than the 1499 ms window (the run wrote for 2000 ms)");
    expect(above.evidence).toHaveLength(10);
    // Bound 2000 ms: the 2 s of writing is within bound + margin, so the run cannot fail it, nor pass it.
    expect(verdictOf({ kind: "window", maxMs: 2000 }, lost).valid).toBe("unknown");
  });
});

describe("checkContract: all-lost", () => {
  it("ignores a preloaded dataset (it is meant to be gone too) and names survivors as evidence", () => {
    expect(verdictOf({ kind: "all-lost" }, clientRun(0, 10, 10), [], 0, 100).valid).toBe(true);
    const verdict = verdictOf({ kind: "all-lost" }, clientRun(0, 10, 8), [], 2, 100);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(["expected an empty database, found 4 keys (2 of 10 written records survived): the fault did not lose what it should"]);
    expect(verdict.evidence).toEqual(["client 0 seq 0 (ok): intact", "client 0 seq 1 (ok): intact"]);
  });

  it("is not judged on real-time order or refused writes: it expects nothing back", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: false },
      { client: 1, seq: 0, invokeAtMs: 2, okAtMs: 3, result: "fail", survives: true },
    ];
    expect(verdictOf({ kind: "all-lost" }, writes).reasons).toEqual([
      "expected an empty database, found 1 keys (1 of 2 written records survived): the fault did not lose what it should",
    ]);
  });
});

describe("checkContract: the checks every other contract shares", () => {
  it("counts corrupted records apart from the preloaded dataset", () => {
    const writes = clientRun(0, 5).map((w) => (w.seq === 4 ? { ...w, survives: "corrupted" as const } : w));
    expect(verdictOf({ kind: "window", maxMs: 2000 }, writes, [], 100, 100).reasons).toEqual(["1 records read back corrupted"]);
  });

  it("flags keys that came back although they were not preloaded", () => {
    expect(verdictOf({ kind: "none-lost" }, clientRun(0, 5), [], 3).reasons).toEqual(["0 keys were preloaded before the writes, 3 came back"]);
  });

  it("says what a refused write that came back is, with the record", () => {
    const writes: ScriptedWrite[] = [...clientRun(0, 3), { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 0.2, result: "fail", survives: true }];
    const verdict = verdictOf({ kind: "window", maxMs: 2000 }, writes);
    expect(verdict.valid).toBe(false);
    expect(verdict.evidence).toEqual(["client 1 seq 0 (fail): intact"]);
  });

  it("says what a real-time order violation is, once per lost write", () => {
    const writes: ScriptedWrite[] = [
      ...clientRun(0, 3),
      { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: true },
      { client: 1, seq: 1, invokeAtMs: 10, okAtMs: 11.25, survives: false },
      { client: 2, seq: 0, invokeAtMs: 12.5, okAtMs: 13, survives: true },
    ];
    const verdict = verdictOf({ kind: "window", maxMs: 2000 }, writes);
    expect(verdict.reasons).toEqual([
      "1 acknowledged writes lost although a write invoked after their acknowledgement survived (real-time order across clients; one AOF or one snapshot keeps a prefix of the order Redis applied the writes in)",
    ]);
    expect(verdict.evidence).toEqual(["client 1 seq 1 acknowledged at 11.3 ms: lost; client 2 seq 0 invoked at 12.5 ms: survived"]);
  });
});

describe("checkContract: after a mark", () => {
  const snapshot: Contract = { kind: "after-snapshot-only", mark: "snapshot" };
  const fsync: Contract = { kind: "since-last-fsync", mark: "last-fsync" };

  it("uses the named mark, not another one", () => {
    const marks = [
      { name: "other", invokeAtMs: 10, okAtMs: 10 },
      { name: "snapshot", invokeAtMs: 50, okAtMs: 52 },
    ];
    const writes = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 51 }));
    expect(verdictOf(snapshot, writes, marks).valid).toBe(true);
  });

  it("is unknown, naming the mark, when none was recorded", () => {
    const verdict = verdictOf(fsync, clientRun(0, 10, 5), [{ name: "snapshot", invokeAtMs: 5, okAtMs: 5 }]);
    expect(verdict.valid).toBe("unknown");
    expect(verdict.reasons).toEqual(['the run recorded no "last-fsync" mark, so there is no point (the last fsync) to compare with']);
  });

  it("is unknown when no write was acknowledged after the mark: the fault's loss cannot be seen", () => {
    const verdict = verdictOf(snapshot, clientRun(0, 10), [{ name: "snapshot", invokeAtMs: 20, okAtMs: 21 }]);
    expect(verdict.valid).toBe("unknown");
    expect(verdict.reasons).toEqual(["no write was acknowledged after the snapshot, so the fault's loss cannot be seen"]);
  });

  it("does not count writes after the mark that were never acknowledged", () => {
    const writes: ScriptedWrite[] = [
      ...clientRun(0, 10).map((w) => ({ ...w, survives: w.seq < 5 })),
      { client: 1, seq: 0, invokeAtMs: 5.2, okAtMs: 8.5, result: "info", survives: true },
    ];
    // The info write, invoked after the mark, survived: not "written after" (it was never acknowledged), and invoked
    // before any lost write was acknowledged (no order violation).
    expect(verdictOf(snapshot, writes, [{ name: "snapshot", invokeAtMs: 5, okAtMs: 5 }]).valid).toBe(true);
  });

  it("takes writes invoked after the mark was acknowledged as after it, and writes in flight during it as either", () => {
    // The mark spans 40..60: seq 40..60 were in flight (either outcome is fine), 61.. came after.
    const marks = [{ name: "last-fsync", invokeAtMs: 40, okAtMs: 60 }];
    const keptInFlight = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq <= 60 }));
    expect(verdictOf(fsync, keptInFlight, marks).valid).toBe(true);
    const lostInFlight = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 40 }));
    expect(verdictOf(fsync, lostInFlight, marks).valid).toBe(true);
    const keptAfter = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq <= 61 }));
    const verdict = verdictOf(fsync, keptAfter, marks);
    expect(verdict.reasons).toEqual(["1 of 39 writes made after the last fsync survived: something made them durable after it (the power cut did not drop unsynced data)"]);
    expect(verdict.evidence).toEqual(["client 0 seq 61 (ok): intact"]);
  });

  it("names the writes acknowledged before the mark that were lost", () => {
    const writes = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 51 && w.seq !== 38 && w.seq !== 39 }));
    const verdict = verdictOf(snapshot, writes, [{ name: "snapshot", invokeAtMs: 50, okAtMs: 52 }]);
    expect(verdict.reasons[0]).toBe("2 writes acknowledged before the snapshot were lost");
    expect(verdict.evidence.slice(0, 2)).toEqual(["client 0 seq 38 (ok): missing", "client 0 seq 39 (ok): missing"]);
  });

  it("says what surviving writes after a snapshot mean", () => {
    const verdict = verdictOf(snapshot, clientRun(0, 100), [{ name: "snapshot", invokeAtMs: 50, okAtMs: 52 }]);
    expect(verdict.reasons).toEqual(["47 of 47 writes made after the snapshot survived: something saved after it (the fault did not lose what a crash loses)"]);
  });
});

describe("checkContract: each finding fails the verdict on its own", () => {
  it("fails a snapshot contract when nothing came back at all, the snapshot's writes included", () => {
    // No survivor, so no gap and no order violation: only the lost writes acknowledged before the snapshot tell.
    const verdict = verdictOf({ kind: "after-snapshot-only", mark: "snapshot" }, clientRun(0, 100, 100), [{ name: "snapshot", invokeAtMs: 50, okAtMs: 52 }]);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(["50 writes acknowledged before the snapshot were lost"]);
  });

  it("fails on a gap between pipelined writes, which is no real-time order violation", () => {
    // seq 1 was sent before seq 0 was acknowledged (pipelined): losing 0 and keeping 1 is a gap within the client only.
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, survives: false },
      { client: 0, seq: 1, invokeAtMs: 0.1, okAtMs: 1.1, survives: true },
    ];
    const verdict = verdictOf({ kind: "window", maxMs: 2000 }, writes);
    expect(verdict.figures).toMatchObject({ gaps: 1, orderViolations: 0 });
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(["1 writes survived after a lost acknowledged write of the same client (first: client 0 lost 0, kept 1)"]);
  });

  it("fails on keys that came back although nobody wrote them", () => {
    const verdict = verdictOf({ kind: "none-lost" }, clientRun(0, 5), [], 3);
    expect(verdict.valid).toBe(false);
  });

  it("fails on a corrupted record that is no lost acknowledged write", () => {
    const writes: ScriptedWrite[] = [...clientRun(0, 3), { client: 1, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: "corrupted" }];
    const verdict = verdictOf({ kind: "none-lost" }, writes);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toEqual(["1 records read back corrupted"]);
  });

  it("names the earliest-invoked survivor after the acknowledgement, not one invoked at that very moment", () => {
    const writes: ScriptedWrite[] = [
      { client: 0, seq: 0, invokeAtMs: 0, okAtMs: 10, survives: false },
      { client: 1, seq: 0, invokeAtMs: 10, okAtMs: 11, survives: true },
      { client: 2, seq: 0, invokeAtMs: 20, okAtMs: 21, survives: true },
    ];
    expect(verdictOf({ kind: "window", maxMs: 2000 }, writes).evidence).toContain("client 0 seq 0 acknowledged at 10.0 ms: lost; client 2 seq 0 invoked at 20.0 ms: survived");
  });
});

describe("checkContract: the preload under a since-last-fsync contract", () => {
  const contract: Contract = { kind: "since-last-fsync", mark: "last-fsync" };
  const cut = (): ScriptedWrite[] => clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 30 }));
  const fsyncAt30 = { name: "last-fsync", invokeAtMs: 30, okAtMs: 30 };

  it("leaves corrupted records out of the preloaded keys that came back", () => {
    const writes: ScriptedWrite[] = [...cut(), { client: 1, seq: 0, invokeAtMs: 95, okAtMs: 96, result: "info", survives: "corrupted" }];
    const verdict = verdictOf(contract, writes, [fsyncAt30, { name: "preload", invokeAtMs: 31, okAtMs: 32 }], 0, 100);
    expect(verdict.reasons).toEqual(["1 records read back corrupted"]);
  });

  it("holds the whole preload to come back under any other contract, whatever marks the run has", () => {
    const snapshot: Contract = { kind: "after-snapshot-only", mark: "snapshot" };
    const writes = clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 51 }));
    const marks = [
      { name: "snapshot", invokeAtMs: 50, okAtMs: 52 },
      { name: "preload", invokeAtMs: 60, okAtMs: 61 },
    ];
    expect(verdictOf(snapshot, writes, marks, 100, 100).valid).toBe(true);
    expect(verdictOf(snapshot, writes, marks, 0, 100).reasons).toEqual(["100 keys were preloaded before the writes, 0 came back"]);
  });
});
