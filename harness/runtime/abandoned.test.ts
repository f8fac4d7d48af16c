import { describe, expect, it } from "vitest";
import { isAbandoned } from "./abandoned.js";
import { LABEL } from "./labels.js";
import { LEASE_TTL_S, liveLeaseRuns } from "./lease.js";

const here = "ci-job-1/boot-a";
const alivePids = new Set([100]);
const view = (leasedRuns: string[] = []) => ({ hostId: here, pidAlive: (pid: number) => alivePids.has(pid), leasedRuns: new Set(leasedRuns) });
const labels = (run: string, pid: number, host?: string): Record<string, string> => ({
  [LABEL.suite]: "true",
  [LABEL.run]: run,
  [LABEL.ownerPid]: String(pid),
  ...(host === undefined ? {} : { [LABEL.host]: host }),
});

describe("isAbandoned", () => {
  it("judges this host's objects by their owner pid, whatever the leases say", () => {
    expect(isAbandoned(labels("r1", 100, here), view())).toBe(false);
    expect(isAbandoned(labels("r1", 999, here), view(["r1"]))).toBe(true);
  });

  it("never judges another host's objects by a pid of this host", () => {
    // pid 999 is dead here and pid 100 alive here: neither says anything about the other host.
    expect(isAbandoned(labels("r2", 999, "ci-job-2/boot-a"), view(["r2"]))).toBe(false);
    expect(isAbandoned(labels("r2", 100, "ci-job-2/boot-a"), view([]))).toBe(true);
  });

  it("takes another host's objects only once their run's lease lapsed (another run's lease does not hold them)", () => {
    expect(isAbandoned(labels("r2", 1, "other/boot-b"), view(["r3"]))).toBe(true);
    expect(isAbandoned({ [LABEL.suite]: "true", [LABEL.host]: "other/boot-b" }, view(["r3"]))).toBe(true);
  });

  it("judges objects labelled before the host label existed by their pid", () => {
    expect(isAbandoned(labels("r4", 100), view())).toBe(false);
    expect(isAbandoned(labels("r4", 999), view(["r4"]))).toBe(true);
  });
});

describe("liveLeaseRuns", () => {
  const now = 1_800_000_000_000;
  const lease = (run: string, State: string, ageS = 0) => ({ Labels: { [LABEL.role]: "lease", [LABEL.run]: run }, State, Created: now / 1000 - ageS });

  it("holds a run while its lease container runs, and not once it exited", () => {
    expect([...liveLeaseRuns([lease("a", "running", 3600), lease("b", "exited"), lease("c", "dead")], now)]).toEqual(["a"]);
  });

  it("holds a lease created but not yet started only within the TTL", () => {
    expect(liveLeaseRuns([lease("a", "created", LEASE_TTL_S - 5)], now).has("a")).toBe(true);
    expect(liveLeaseRuns([lease("a", "created", LEASE_TTL_S + 5)], now).has("a")).toBe(false);
  });

  it("counts only containers in the lease role", () => {
    expect(liveLeaseRuns([{ Labels: { [LABEL.role]: "redis", [LABEL.run]: "a" }, State: "running" }], now).size).toBe(0);
  });
});
