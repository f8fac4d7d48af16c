import { describe, expect, it } from "vitest";
import type { ReadBack } from "../workload/readback.js";
import { replicaConvergence, withReplicaConvergence } from "./replica-convergence.js";
import type { Verdict } from "./verdict.js";
import { NOTHING_MEASURED } from "./verdict.js";

const readBack = (entries: [string, string | null][], keysInDatabase = entries.filter(([, v]) => v !== null).length): ReadBack => ({ values: new Map(entries), keysInDatabase });
const primary = readBack([
  ["0:0", "a"],
  ["0:1", "b"],
  ["1:0", null],
]);
const valid: Verdict = { valid: true, contract: { kind: "none-lost" }, reasons: [], figures: NOTHING_MEASURED, evidence: [] };

describe("replicaConvergence", () => {
  it("holds when every replica reads exactly what the primary does", () => {
    const finding = replicaConvergence(primary, [
      { ip: "10.0.0.2", readBack: readBack([...primary.values]), offsets: "100 of 100" },
      { ip: "10.0.0.3", readBack: readBack([...primary.values]), offsets: "100 of 100" },
    ], 2);
    expect(finding).toEqual({ valid: true, divergent: 0, reasons: [], evidence: [] });
  });

  it("is unknown, never valid, with fewer copies than the group has replicas (none read is none shown)", () => {
    const none = replicaConvergence(primary, [], 2);
    expect(none.valid).toBe("unknown");
    expect(none.reasons).toEqual(["only 0 of the group's 2 replicas could be read, so the run cannot tell whether the others converged"]);
    const one = replicaConvergence(primary, [{ ip: "10.0.0.2", readBack: readBack([...primary.values]), offsets: "100 of 100" }], 2);
    expect(one.valid).toBe("unknown");
    expect(replicaConvergence(primary, [], 0).valid).toBe(true);
  });

  it("breaks on a record the replica lacks, one it has that the primary lacks, and a value that differs", () => {
    const finding = replicaConvergence(primary, [
      { ip: "10.0.0.2", readBack: readBack([["0:0", "a"], ["0:1", null], ["1:0", "c"]], 2), offsets: "100 of 100" },
      { ip: "10.0.0.3", readBack: readBack([["0:0", "x"], ["0:1", "b"], ["1:0", null]]), offsets: "100 of 100" },
    ], 2);
    expect(finding.valid).toBe(false);
    expect(finding.divergent).toBe(2);
    expect(finding.evidence).toEqual([
      "replica 10.0.0.2 0:1: present on the primary, missing on the replica",
      "replica 10.0.0.2 1:0: missing on the primary, present on the replica",
      "replica 10.0.0.3 0:0: the values differ",
    ]);
    expect(finding.reasons[0]).toMatch(/replica 10\.0\.0\.2 diverges .*: 2 record\(s\) differ$/);
  });

  it("breaks on a DBSIZE that differs though every record agrees (keys the workload did not write)", () => {
    const finding = replicaConvergence(primary, [{ ip: "10.0.0.2", readBack: readBack([...primary.values], 3), offsets: "100 of 100" }], 1);
    expect(finding.valid).toBe(false);
    expect(finding.reasons[0]).toContain("DBSIZE 3 against the primary's 2");
  });

  it("a replica missing a record the primary also reads as missing is not divergent", () => {
    const finding = replicaConvergence(primary, [{ ip: "10.0.0.2", readBack: readBack([["0:0", "a"], ["0:1", "b"]]), offsets: "1 of 1" }], 1);
    expect(finding.valid).toBe(true);
  });

  it("is unknown, never valid, when a replica did not catch up, and false beats it", () => {
    const behind = { ip: "10.0.0.2", readBack: undefined, offsets: "90 of 100 after 10000 ms" };
    expect(replicaConvergence(primary, [behind], 1).valid).toBe("unknown");
    expect(replicaConvergence(primary, [behind], 1).reasons[0]).toContain("90 of 100 after 10000 ms");
    const diverged = { ip: "10.0.0.3", readBack: readBack([["0:0", "a"]]), offsets: "100 of 100" };
    expect(replicaConvergence(primary, [behind, diverged], 2).valid).toBe(false);
  });
});

describe("withReplicaConvergence", () => {
  it("keeps a valid verdict valid only when the replicas converged, and adds their reasons and evidence", () => {
    expect(withReplicaConvergence(valid, replicaConvergence(primary, [], 0)).valid).toBe(true);
    const broken = withReplicaConvergence(valid, replicaConvergence(primary, [{ ip: "10.0.0.2", readBack: readBack([["0:0", "a"]]), offsets: "1 of 1" }], 1));
    expect(broken.valid).toBe(false);
    expect(broken.reasons).toHaveLength(1);
    expect(broken.evidence).toEqual(["replica 10.0.0.2 0:1: present on the primary, missing on the replica"]);
  });

  it("never turns a broken verdict valid", () => {
    const lost: Verdict = { ...valid, valid: false, reasons: ["3 lost"] };
    const folded = withReplicaConvergence(lost, replicaConvergence(primary, [], 0));
    expect(folded.valid).toBe(false);
    expect(folded.reasons).toEqual(["3 lost"]);
  });
});
