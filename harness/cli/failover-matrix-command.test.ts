import { describe, expect, it } from "vitest";
import { UsageError } from "./exit-codes.js";
import { failoverMatrixCommand, parseTopology } from "./failover-matrix-command.js";

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
});
