import { describe, expect, it } from "vitest";
import { inRun, isAbandoned } from "./abandoned.js";
import { LABEL, leaseKey } from "./labels.js";
import { LEASE_TTL_S, liveLeaseRuns } from "./lease.js";

const here = "ci-job-1/boot-a/pid:[1]";
const other = "ci-job-2/boot-a/pid:[2]";
const now = 1_800_000_000_000;
const old = now - (LEASE_TTL_S + 1) * 1000;
const alivePids = new Set([100]);
const view = (leased: Array<[string, string]> = []) => ({
  hostId: here,
  pidAlive: (pid: number) => alivePids.has(pid),
  leasedRuns: new Set(leased.map(([host, run]) => leaseKey(host, run))),
  nowMs: now,
});
const labels = (run: string, pid: number, host?: string): Record<string, string> => ({
  [LABEL.suite]: "true",
  [LABEL.run]: run,
  [LABEL.ownerPid]: String(pid),
  ...(host === undefined ? {} : { [LABEL.host]: host }),
});

describe("isAbandoned", () => {
  it("judges this host's objects by their owner pid, whatever the leases say", () => {
    expect(isAbandoned(labels("r1", 100, here), view(), old)).toBe(false);
    expect(isAbandoned(labels("r1", 999, here), view([[here, "r1"]]), old)).toBe(true);
  });

  it("never judges another host's objects by a pid of this host", () => {
    // pid 999 is dead here and pid 100 alive here: neither says anything about the other host.
    expect(isAbandoned(labels("r2", 999, other), view([[other, "r2"]]), old)).toBe(false);
    expect(isAbandoned(labels("r2", 100, other), view([]), old)).toBe(true);
  });

  it("holds another host's objects by the lease of that host's run only: not another run's, not the same run id of another host", () => {
    expect(isAbandoned(labels("r2", 1, other), view([[other, "r3"]]), old)).toBe(true);
    expect(isAbandoned(labels("r2", 1, other), view([[here, "r2"]]), old)).toBe(true);
    expect(isAbandoned({ [LABEL.suite]: "true", [LABEL.host]: other }, view([[other, "r3"]]), old)).toBe(true);
  });

  it("never takes another host's object younger than a lease's TTL (its run may be taking its lease)", () => {
    expect(isAbandoned(labels("r5", 1, other), view(), now - 1_000)).toBe(false);
    expect(isAbandoned(labels("r5", 1, other), view(), now - (LEASE_TTL_S - 1) * 1000)).toBe(false);
    expect(isAbandoned(labels("r5", 1, other), view(), Number.NaN)).toBe(true);
  });

  it("judges objects labelled before the host label existed by their pid", () => {
    expect(isAbandoned(labels("r4", 100), view(), old)).toBe(false);
    expect(isAbandoned(labels("r4", 999), view([[here, "r4"]]), old)).toBe(true);
  });
});

describe("liveLeaseRuns", () => {
  const lease = (run: string, State: string, ageS = 0) => ({
    Labels: { [LABEL.role]: "lease", [LABEL.run]: run, [LABEL.host]: other },
    State,
    Created: now / 1000 - ageS,
  });

  it("holds a run while its lease container runs, and not once it exited, is paused or restarting", () => {
    const live = liveLeaseRuns([lease("a", "running", 3600), lease("b", "exited"), lease("c", "dead"), lease("d", "paused"), lease("e", "restarting")], now);
    expect([...live]).toEqual([leaseKey(other, "a")]);
  });

  it("holds a lease created but not yet started only within the TTL", () => {
    expect(liveLeaseRuns([lease("a", "created", LEASE_TTL_S - 5)], now).has(leaseKey(other, "a"))).toBe(true);
    expect(liveLeaseRuns([lease("a", "created", LEASE_TTL_S + 5)], now).has(leaseKey(other, "a"))).toBe(false);
  });

  it("counts only containers in the lease role that name their host", () => {
    expect(liveLeaseRuns([{ Labels: { [LABEL.role]: "redis", [LABEL.run]: "a", [LABEL.host]: other }, State: "running" }], now).size).toBe(0);
    expect(liveLeaseRuns([{ Labels: { [LABEL.role]: "lease", [LABEL.run]: "a" }, State: "running" }], now).size).toBe(0);
  });
});

describe("inRun", () => {
  it("takes one run of one host: another host's run of the same id is not this run's to remove", () => {
    expect(inRun(labels("pipeline-42", 1, here), "pipeline-42", here)).toBe(true);
    expect(inRun(labels("pipeline-42", 1, other), "pipeline-42", here)).toBe(false);
    expect(inRun(labels("pipeline-41", 1, here), "pipeline-42", here)).toBe(false);
    expect(inRun(labels("pipeline-42", 1), "pipeline-42", here)).toBe(true);
  });
});
