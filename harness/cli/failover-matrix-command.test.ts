import { describe, expect, it } from "vitest";
import { UsageError } from "./exit-codes.js";
import { failoverMatrixCommand, failoverSelection, parseTopology } from "./failover-matrix-command.js";
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

  it("by default runs aof-everysec under every failover fault, plus none under primary-restart-empty", () => {
    const selection = failoverSelection({});
    expect(selection.modes.map((m) => m.mode)).toEqual(["aof-everysec"]);
    expect(selection.faults.map((f) => f.name)).toEqual(["primary-kill", "primary-partition", "primary-restart-empty"]);
    expect(selection.extraCells.map((c) => `${c.mode.mode} x ${c.fault.name}`)).toEqual(["none x primary-restart-empty"]);
    expect(failoverCaseCount({ ...selection, repetitions: 1 })).toBe(8);
    // Named modes are taken as asked; a fault set without primary-restart-empty adds nothing.
    expect(failoverSelection({ modes: "aof-everysec" }).extraCells).toEqual([]);
    expect(failoverSelection({ faults: "primary-kill" }).extraCells).toEqual([]);
  });
});
