import { describe, expect, it } from "vitest";
import { UsageError } from "./exit-codes.js";
import { existsSync, readFileSync } from "node:fs";
import { MODES } from "../../configs/modes.js";
import { failoverMatrixCommand, failoverSelection, parseMinReplicasLags, parseTopology } from "./failover-matrix-command.js";
import { matrixCommand } from "./matrix-command.js";
import { minReplicasRows } from "../report/min-replicas-rows.js";
import { failoverCaseCount } from "../report/run-failover-matrix.js";

const io = { out: () => undefined, err: () => undefined };

describe("matrix --topology / --acks", () => {
  it("reads the topology, single by default", () => {
    expect(parseTopology(undefined)).toBe("single");
    expect(parseTopology("sentinel")).toBe("sentinel");
  });

  it("refuses an unknown topology with the known ones (a usage error: exit 2)", () => {
    expect(() => parseTopology("cluster")).toThrow(UsageError);
    expect(() => parseTopology("cluster")).toThrow(/known values: single, sentinel/);
  });

  it("refuses an unknown ack policy, fault or option before it starts anything", async () => {
    await expect(failoverMatrixCommand({ acks: "wait-2" }, io)).rejects.toThrow(/--acks: unknown value "wait-2"; known values: reply, wait-1/);
    await expect(failoverMatrixCommand({ faults: "sigkill" }, io)).rejects.toThrow(/--faults: unknown value "sigkill"; known values: primary-kill, primary-partition/);
    await expect(failoverMatrixCommand({ versions: "8.0" }, io)).rejects.toThrow(UsageError);
  });

  it("by default runs aof-everysec under every failover fault but the opt-in primary-graceful-stop, plus none under primary-restart-empty", () => {
    const selection = failoverSelection({});
    expect(selection.modes.map((m) => m.mode)).toEqual(["aof-everysec"]);
    expect(selection.faults.map((f) => f.name)).toEqual(["primary-kill", "primary-partition", "primary-restart-empty", "primary-graceful-failover", "sentinel-failover"]);
    expect(selection.extraCells.map((c) => `${c.mode.mode} x ${c.fault.name}`)).toEqual(["none x primary-restart-empty"]);
    expect(failoverCaseCount({ ...selection, repetitions: 1 })).toBe(12);
    // Named modes are taken as asked; a fault set without primary-restart-empty adds nothing.
    expect(failoverSelection({ modes: "aof-everysec" }).extraCells).toEqual([]);
    expect(failoverSelection({ faults: "primary-kill" }).extraCells).toEqual([]);
  });
});

describe("matrix --topology sentinel --min-replicas", () => {
  it("reads whole seconds, each once, and refuses anything else with an example", () => {
    expect(parseMinReplicasLags(undefined)).toEqual([]);
    expect(parseMinReplicasLags("2,10")).toEqual([2, 10]);
    expect(parseMinReplicasLags(" 10 , 10 ")).toEqual([10]);
    for (const bad of ["", "0", "2s", "1.5", "61", "2,,10", "-1"]) {
      expect(() => parseMinReplicasLags(bad), bad).toThrow(UsageError);
      expect(() => parseMinReplicasLags(bad), bad).toThrow(/e\.g\. --min-replicas 2,10/);
    }
  });

  it("adds a row per mode and max-lag under every fault and ack policy", () => {
    const selection = failoverSelection({ modes: "aof-everysec", faults: "primary-partition-long,primary-kill", acks: "reply", "min-replicas": "2,10" });
    expect(selection.minReplicasLags).toEqual([2, 10]);
    // aof-everysec and its two knob rows, under two faults, one ack policy.
    expect(failoverCaseCount({ ...selection, repetitions: 1 })).toBe(6);
  });

  it("is refused on a single server, with the reason", async () => {
    await expect(matrixCommand(["--min-replicas", "2"], io)).rejects.toThrow(/--min-replicas applies to --topology sentinel only/);
  });
});

describe("minReplicasRows", () => {
  it("writes each mode's config with the knob appended, names the row as npm test does, and holds partitions under reply to the knob's window", async () => {
    const knobs = await minReplicasRows([MODES["aof-everysec"]], [2]);
    try {
      expect(knobs.rows.map((r) => r.row.mode)).toEqual(["aof-everysec+min-replicas-2s"]);
      const [knob] = knobs.rows;
      const text = readFileSync(knob?.row.configFile ?? "", "utf8");
      expect(text.startsWith(readFileSync(MODES["aof-everysec"].configFile, "utf8"))).toBe(true);
      expect(text.trimEnd().split("\n").slice(-2)).toEqual(["min-replicas-to-write 1", "min-replicas-max-lag 2"]);
      expect(knob?.row.reportedConfigFile).toBe(MODES["aof-everysec"].configFile);
      expect(knob?.row.expectationFor("primary-partition-long").expected.contract).toEqual({ kind: "failover-window", maxMs: 3_000 });
      expect(knob?.row.expectationFor("primary-kill").expected.contract).toEqual({ kind: "may-lose" });
    } finally {
      await knobs.remove();
    }
    expect(existsSync(knobs.rows[0]?.row.configFile ?? "")).toBe(false);
  });
});
