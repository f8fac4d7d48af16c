import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import { checkContract } from "./check-contract.js";
import type { Contract } from "./contract.js";
import { analyzeLoss } from "./loss.js";
import { clientRun, scripted } from "./fixtures.js";
import type { ScriptedWrite } from "./fixtures.js";

function verdictOf(contract: Contract, writes: ScriptedWrite[], marks: { name: string; invokeAtMs: number; okAtMs: number }[] = [], extraKeys = 0, preloaded = 0) {
  const { history, readBack } = scripted(writes, marks, extraKeys);
  return checkContract(contract, analyzeLoss(history, readBack), history, preloaded);
}

describe("checkContract", () => {
  it("none-lost: valid when every acknowledged write survives, false with evidence when one is lost", () => {
    expect(verdictOf({ kind: "none-lost" }, clientRun(0, 50)).valid).toBe(true);
    const lost = verdictOf({ kind: "none-lost" }, clientRun(0, 50, 1));
    expect(lost.valid).toBe(false);
    expect(lost.reasons[0]).toMatch(/1 of 50 acknowledged writes lost/);
    expect(lost.evidence).toEqual(["client 0 seq 49 (ok): missing"]);
  });

  it("none-lost: unacknowledged writes may be lost or survive", () => {
    const writes: ScriptedWrite[] = [...clientRun(0, 5), { client: 0, seq: 5, invokeAtMs: 9, okAtMs: 10, result: "info", survives: true }];
    expect(verdictOf({ kind: "none-lost" }, writes).valid).toBe(true);
  });

  it("all-lost: valid only on an empty database", () => {
    expect(verdictOf({ kind: "all-lost" }, clientRun(0, 10, 10)).valid).toBe(true);
    expect(verdictOf({ kind: "all-lost" }, clientRun(0, 10, 9)).valid).toBe(false);
    expect(verdictOf({ kind: "all-lost" }, clientRun(0, 10, 10), [], 3).reasons[0]).toMatch(/found 3 keys/);
  });

  it("window: within the bound is valid, beyond it is not", () => {
    expect(verdictOf({ kind: "window", maxMs: 2000 }, clientRun(0, 100, 30)).valid).toBe(true);
    const beyond = verdictOf({ kind: "window", maxMs: 20 }, clientRun(0, 100, 30));
    expect(beyond.valid).toBe(false);
    expect(beyond.reasons[0]).toMatch(/loss window 30 ms exceeds 20 ms/);
  });

  it("window: a gap is an ordering violation even inside the window", () => {
    const writes = clientRun(0, 10);
    writes[5] = { ...writes[5]!, survives: false };
    expect(verdictOf({ kind: "window", maxMs: 2000 }, writes).valid).toBe(false);
  });

  describe("after-snapshot-only", () => {
    const contract: Contract = { kind: "after-snapshot-only", mark: "snapshot" };
    const mark = [{ name: "snapshot", invokeAtMs: 50, okAtMs: 52 }];
    // seq 0..49 acked before the mark, 50..51 in flight during BGSAVE, 52..99 after it
    const crashAfterSnapshot = (): ScriptedWrite[] => clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 51 }));

    it("is valid when exactly the writes after the snapshot are lost", () => {
      expect(verdictOf(contract, crashAfterSnapshot(), mark).valid).toBe(true);
    });

    it("is false when a write acknowledged before the snapshot is lost", () => {
      const writes = crashAfterSnapshot();
      writes[10] = { ...writes[10]!, survives: false };
      expect(verdictOf(contract, writes, mark).reasons[0]).toMatch(/1 writes acknowledged before the snapshot were lost/);
    });

    it("is false when writes made after the snapshot survive (the fault did not bite)", () => {
      const verdict = verdictOf(contract, clientRun(0, 100), mark);
      expect(verdict.valid).toBe(false);
      expect(verdict.reasons[0]).toMatch(/made after the snapshot survived/);
    });

    it("is unknown without the mark", () => {
      expect(verdictOf(contract, crashAfterSnapshot()).valid).toBe("unknown");
    });
  });

  describe("total loss is total", () => {
    // Four clients, 1.5 s of writes (1 ms apart), every acknowledged write lost: what `appendonly no` does under a kill.
    const everythingLost = (ms: number): ScriptedWrite[] => [0, 1, 2, 3].flatMap((c) => clientRun(c, ms, ms));

    it("a window contract fails a total loss when the run wrote for longer than the bound plus the margin", () => {
      const verdict = verdictOf({ kind: "window", maxMs: 1000 }, everythingLost(1600));
      expect(verdict.valid).toBe(false);
      expect(verdict.reasons[0]).toMatch(/^all 6400 acknowledged writes lost/);
      expect(verdict.figures).toMatchObject({ lossWindowMs: null, allLost: true, clientsAllLost: 4 });
    });

    it("a window contract cannot pass a total loss of a run shorter than the bound plus the margin: unknown, never valid", () => {
      const verdict = verdictOf({ kind: "window", maxMs: 2000 }, everythingLost(1500));
      expect(verdict.valid).toBe("unknown");
      expect(verdict.reasons[0]).toMatch(/all 6000 acknowledged writes lost, but the run wrote for only 1500 ms.*2000 ms window plus 500 ms/);
    });

    it("one client that lost everything makes the window unbounded even when the others kept theirs", () => {
      const writes = [...clientRun(0, 3000, 3000), ...clientRun(1, 3000, 10)];
      const verdict = verdictOf({ kind: "window", maxMs: 2000 }, writes);
      expect(verdict.valid).toBe(false);
      expect(verdict.reasons[0]).toMatch(/3010 of 6000 acknowledged writes lost; client 0 lost every acknowledged write/);
      expect(verdict.figures).toMatchObject({ lossWindowMs: null, allLost: false, clientsAllLost: 1 });
    });

    it("none-lost names a total loss as such", () => {
      expect(verdictOf({ kind: "none-lost" }, everythingLost(100)).reasons[0]).toBe("all 400 acknowledged writes lost");
    });
  });

  it("is false on a real-time order violation across clients, for every contract but all-lost", () => {
    const writes: ScriptedWrite[] = [
      ...clientRun(0, 10),
      { client: 1, seq: 0, invokeAtMs: 20, okAtMs: 21, survives: false },
      { client: 2, seq: 0, invokeAtMs: 22, okAtMs: 23, survives: true },
    ];
    for (const contract of [{ kind: "window", maxMs: 60_000 }, { kind: "none-lost" }] as Contract[]) {
      const verdict = verdictOf(contract, writes);
      expect(verdict.valid).toBe(false);
      expect(verdict.reasons.join(" ")).toMatch(/1 acknowledged writes lost although a write invoked after their acknowledgement survived/);
      expect(verdict.evidence.join(" ")).toMatch(/client 1 seq 0 acknowledged at 21.0 ms: lost; client 2 seq 0 invoked at 22.0 ms: survived/);
      expect(verdict.figures.orderViolations).toBe(1);
    }
  });

  it("is false when a write answered with an error came back, and says so apart from unknown outcomes", () => {
    const writes: ScriptedWrite[] = [...clientRun(0, 5), { client: 1, seq: 0, invokeAtMs: 1, okAtMs: 2, result: "fail", survives: true }];
    const verdict = verdictOf({ kind: "none-lost" }, writes);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons).toContain('1 writes answered with an error (e.g. MISCONF, OOM: "not applied") were found after recovery');
    expect(verdict.figures).toMatchObject({ refusedRecovered: 1, recoveredUnacknowledged: 0 });
  });

  describe("since-last-fsync", () => {
    const contract: Contract = { kind: "since-last-fsync", mark: "last-fsync" };
    const mark = [{ name: "last-fsync", invokeAtMs: 30, okAtMs: 30 }];
    const cutAfterFsync = (): ScriptedWrite[] => clientRun(0, 100).map((w) => ({ ...w, survives: w.seq < 30 }));

    it("is valid when exactly the writes since the fsync are lost", () => {
      expect(verdictOf(contract, cutAfterFsync(), mark).valid).toBe(true);
    });

    it("is false when a write made durable before the fsync is lost", () => {
      const writes = cutAfterFsync().map((w) => (w.seq === 3 ? { ...w, survives: false } : w));
      expect(verdictOf(contract, writes, mark).reasons.join(" ")).toMatch(/1 writes acknowledged before the last fsync were lost/);
    });

    it("is false when writes after the fsync survive (the cut dropped nothing)", () => {
      expect(verdictOf(contract, clientRun(0, 100), mark).reasons.join(" ")).toMatch(/made after the last fsync survived/);
    });

    it("is unknown without its mark", () => {
      expect(verdictOf(contract, cutAfterFsync()).valid).toBe("unknown");
    });

    describe("a preload is durable as far as the fsync covered it", () => {
      const preloadAt = (from: number, to: number) => ({ name: "preload", invokeAtMs: from, okAtMs: to });
      const check = (preload: { name: string; invokeAtMs: number; okAtMs: number }, preloadedBack: number) => {
        const { history, readBack } = scripted(cutAfterFsync(), [...mark, preload], preloadedBack);
        return checkContract(contract, analyzeLoss(history, readBack), history, 100);
      };

      it("before the fsync: all of it must come back", () => {
        expect(check(preloadAt(-20, -10), 100).valid).toBe(true);
        expect(check(preloadAt(-20, -10), 40).reasons.join(" ")).toMatch(/100 keys were preloaded before the writes, 40 came back/);
      });

      it("after the fsync: none of it may come back", () => {
        expect(check(preloadAt(31, 32), 0).valid).toBe(true);
        expect(check(preloadAt(31, 32), 5).reasons.join(" ")).toMatch(/5 of the 100 preloaded keys came back, though no fsync covered them/);
      });

      it("overlapping the fsync: its round trips acknowledged before it must come back, those sent after it must not", () => {
        const batches = [
          { name: "preload-batch:40", invokeAtMs: 20, okAtMs: 25 },
          { name: "preload-batch:70", invokeAtMs: 25, okAtMs: 31 },
          { name: "preload-batch:100", invokeAtMs: 31, okAtMs: 40 },
        ];
        const checkWith = (preloadedBack: number) => {
          const { history, readBack } = scripted(cutAfterFsync(), [...mark, preloadAt(20, 40), ...batches], preloadedBack);
          return checkContract(contract, analyzeLoss(history, readBack), history, 100);
        };
        expect(checkWith(40).valid).toBe(true);
        expect(checkWith(70).valid).toBe(true);
        expect(checkWith(0).reasons.join(" ")).toMatch(/40 preloaded keys were acknowledged before the last fsync, only 0 came back/);
        expect(checkWith(0).valid).toBe(false);
        expect(checkWith(100).reasons.join(" ")).toMatch(/100 preloaded keys came back, though only 70 were sent before the last fsync/);
        expect(checkWith(100).valid).toBe(false);
      });

      it("overlapping the fsync without the preload's round trips recorded: unknown, never valid", () => {
        expect(check(preloadAt(20, 40), 37).valid).toBe("unknown");
      });
    });
  });

  it("is unknown when nothing was acknowledged", () => {
    const writes: ScriptedWrite[] = [{ client: 0, seq: 0, invokeAtMs: 0, okAtMs: 1, result: "info", survives: false }];
    expect(verdictOf({ kind: "none-lost" }, writes).valid).toBe("unknown");
  });

  it("is false when part of a preloaded dataset did not come back", () => {
    expect(verdictOf({ kind: "none-lost" }, clientRun(0, 5), [], 100, 100).valid).toBe(true);
    expect(verdictOf({ kind: "none-lost" }, clientRun(0, 5), [], 90, 100).reasons[0]).toMatch(/100 keys were preloaded.*90 came back/);
  });

  it("is false on a corrupted record", () => {
    const writes = clientRun(0, 5);
    writes[4] = { ...writes[4]!, survives: "corrupted" };
    expect(verdictOf({ kind: "none-lost" }, writes).reasons).toContain("1 records read back corrupted");
  });
});

describe("evicted-only", () => {
  const contract: Contract = { kind: "evicted-only", measurement: "evictedKeys" };
  const check = (writes: ScriptedWrite[], evicted: number | string | undefined, extraKeys = 0, preloaded = 0) => {
    const { history, readBack } = scripted(writes, [], extraKeys);
    return checkContract(contract, analyzeLoss(history, readBack), history, preloaded, evicted === undefined ? {} : { evictedKeys: evicted });
  };
  // LRU eviction: old records of every client gone, newer ones kept, out of any per-client order.
  const evictedRun = (): ScriptedWrite[] => [...clientRun(0, 100), ...clientRun(1, 100)].map((w) => ({ ...w, survives: w.seq % 3 !== 0 || w.seq > 80 }));
  const gone = evictedRun().filter((w) => !w.survives).length;

  it("is valid when no more keys are gone than Redis evicted, gaps and order notwithstanding", () => {
    expect(check(evictedRun(), gone).valid).toBe(true);
    expect(check(evictedRun(), gone + 500).valid).toBe(true);
  });

  it("is false when more keys are gone than Redis evicted: something else lost them", () => {
    const verdict = check(evictedRun(), gone - 1);
    expect(verdict.valid).toBe(false);
    expect(verdict.reasons[0]).toMatch(new RegExp(`^${gone} keys are gone \\(${gone} acknowledged writes, 0 preloaded keys\\) but Redis evicted only ${gone - 1}`));
    expect(check(clientRun(0, 50, 50), 0).valid).toBe(false);
  });

  it("counts missing preloaded keys as gone too", () => {
    expect(check(evictedRun(), gone + 10, 90, 100).valid).toBe(true);
    expect(check(evictedRun(), gone + 9, 90, 100).valid).toBe(false);
    expect(check(evictedRun(), gone, 110, 100).reasons[0]).toMatch(/10 keys came back that neither the preload nor the writers wrote/);
  });

  it("is unknown without Redis's count, false on corruption or a refused write that came back", () => {
    expect(check(evictedRun(), undefined).valid).toBe("unknown");
    expect(check(evictedRun(), "n/a").valid).toBe("unknown");
    const corrupted = evictedRun();
    corrupted[1] = { ...corrupted[1]!, survives: "corrupted" };
    expect(check(corrupted, gone + 1).reasons).toContain("1 records read back corrupted");
    const refused: ScriptedWrite[] = [...clientRun(0, 10), { client: 0, seq: 10, invokeAtMs: 11, okAtMs: 12, result: "fail", survives: true }];
    expect(check(refused, 0).valid).toBe(false);
  });
});

describe("the shipped contracts turn red when the config they guard is weakened", () => {
  // What a crash of `appendonly no` looks like: everything since start (3 s of writes) is gone.
  const appendonlyNoAfterCrash = [...clientRun(0, 3000, 3000), ...clientRun(1, 3000, 3000)];
  // What a graceful stop without save points looks like: the same.
  const noSavePoints = appendonlyNoAfterCrash;
  // What dropping the volume looks like: a fresh, empty data dir.
  const volumeDropped = appendonlyNoAfterCrash;

  it.each([
    ["aof-always", "sigkill", appendonlyNoAfterCrash],
    ["aof-no", "sigkill", appendonlyNoAfterCrash],
    ["aof-everysec", "sigkill", appendonlyNoAfterCrash],
    ["rdb", "graceful-stop", noSavePoints],
    ["aof-always", "recreate-same-volume", volumeDropped],
    ["rdb-aof", "short-grace", appendonlyNoAfterCrash],
  ] as const)("%s x %s", (mode, fault, writes) => {
    expect(verdictOf(MODES[mode].contracts[fault].contract, [...writes]).valid).toBe(false);
  });

  it("none x sigkill turns red if something survives (a config that persisted after all)", () => {
    expect(verdictOf(MODES.none.contracts.sigkill.contract, clientRun(0, 10)).valid).toBe(false);
  });
});
