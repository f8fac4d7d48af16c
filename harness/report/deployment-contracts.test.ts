import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Deployment } from "../deployment/index.js";
import { readDeploymentFiles, readDeployments } from "../deployment/read-deployments.js";
import type { ImageServer } from "../gate/server-version.js";
import { deploymentExpectations, deploymentRowName, deploymentSettings } from "./deployment-contracts.js";

// The pure half of `matrix --deployment`: a deployment's documented bound per fault, as a contract.
const server: ImageServer = { flavor: "redis", version: "7.0.15" };
const FAULTS = ["graceful-stop", "sigkill", "short-grace", "recreate-same-volume", "recreate-without-volume", "power-loss", "memory-pressure"];
const AFTER_SNAPSHOT_MS = 1_000;
const fixture = (name: string): string => path.join(import.meta.dirname, "../deployment/fixtures", name);

/** The one deployment of a compose file written here. */
function composed(service: string, grace = ""): Deployment {
  const text = `services:\n  redis:\n    image: redis:7.4\n${service}${grace}`;
  const [d] = readDeployments([{ path: "compose.yml", text }]).deployments;
  if (!d) throw new Error("no deployment read");
  return d;
}
const volume = "    volumes:\n      - redis-data:/data\nvolumes:\n  redis-data: {}\n";

/** The contract kind (and window) per fault, or "n/a" for a cell that is not run. */
function kinds(d: Deployment, shutdownMs?: number): Record<string, string> {
  const expectations = deploymentExpectations(deploymentSettings(d, server, shutdownMs), FAULTS, AFTER_SNAPSHOT_MS);
  return Object.fromEntries(
    Object.entries(expectations).map(([fault, e]) => {
      const c = e.expected.contract;
      return [fault, e.notApplicable !== undefined ? "n/a" : c.kind === "window" ? `window ${c.maxMs}` : c.kind];
    }),
  );
}

describe("a deployment's contracts in the matrix, from its documented bounds", () => {
  it("appendfsync always on a named volume: none lost under a kill, a stop, a redeploy and a power cut; a new volume loses all", async () => {
    const [d] = (await readDeploymentFiles([fixture("compose/aof-always-volume.yml")])).deployments;
    if (!d) throw new Error("no deployment");
    expect(deploymentRowName(d)).toBe("aof-always-volume.yml:redis");
    expect(kinds(d)).toEqual({
      "graceful-stop": "none-lost",
      sigkill: "none-lost",
      "short-grace": "none-lost",
      "recreate-same-volume": "none-lost",
      "recreate-without-volume": "all-lost",
      "power-loss": "none-lost",
      "memory-pressure": "none-lost",
    });
  });

  it("the same without a volume: a redeploy loses everything, whatever the fsync policy", async () => {
    const [d] = (await readDeploymentFiles([fixture("compose/aof-always-no-volume.yml")])).deployments;
    if (!d) throw new Error("no deployment");
    const got = kinds(d);
    expect(got["recreate-same-volume"]).toBe("all-lost");
    expect(got.sigkill).toBe("none-lost");
    const settings = deploymentSettings(d, server);
    expect(deploymentExpectations(settings, ["recreate-same-volume"], AFTER_SNAPSHOT_MS)["recreate-same-volume"]?.expected.source).toMatch(/does not survive a new container/);
  });

  it("appendfsync always on a tmpfs: every restart loses everything, and so does a redeploy", async () => {
    const [d] = (await readDeploymentFiles([fixture("compose/aof-always-tmpfs.yml")])).deployments;
    if (!d) throw new Error("no deployment");
    const got = kinds(d);
    for (const fault of ["graceful-stop", "sigkill", "short-grace", "recreate-same-volume"]) expect(got[fault], fault).toBe("all-lost");
    expect(deploymentExpectations(deploymentSettings(d, server), ["sigkill"], AFTER_SNAPSHOT_MS).sigkill?.expected.source).toMatch(/keeps no files across a restart/);
  });

  it("the article's fixed compose file (AOF everysec with Redis 7's save points): a 2 s window under a kill and a power cut", async () => {
    const [d] = (await readDeploymentFiles([path.join(import.meta.dirname, "../../app-under-test/compose/docker-compose.fixed.yml")])).deployments;
    if (!d) throw new Error("no deployment");
    expect(kinds(d)).toMatchObject({ sigkill: "window 2000", "power-loss": "window 2000", "graceful-stop": "none-lost", "recreate-same-volume": "none-lost" });
  });

  it("RDB only: a crash loses what came after the snapshot, a stop saves it all", () => {
    const d = composed(`    command: ["redis-server", "--save", "60 1", "--appendonly", "no"]\n${volume}`);
    expect(kinds(d)).toMatchObject({ "graceful-stop": "none-lost", sigkill: "after-snapshot-only", "short-grace": "after-snapshot-only", "power-loss": "after-snapshot-only" });
  });

  it("RDB only with a stop that outlasts the grace: the stop is a crash", () => {
    const d = composed(`    command: ["redis-server", "--save", "60 1", "--appendonly", "no"]\n    stop_grace_period: 1s\n${volume}`);
    expect(d.stopGrace.ms).toBe(1_000);
    expect(kinds(d, 300)["graceful-stop"]).toBe("none-lost");
    expect(kinds(d, 3_000)["graceful-stop"]).toBe("after-snapshot-only");
  });

  it("a save point that can fire again within the writes after the harness's snapshot: not applicable, with the reason", () => {
    const d = composed(`    command: ["redis-server", "--save", "1 1", "--appendonly", "no"]\n${volume}`);
    const e = deploymentExpectations(deploymentSettings(d, server), ["sigkill"], AFTER_SNAPSHOT_MS).sigkill;
    expect(e?.notApplicable).toMatch(/`save 1 1` can snapshot again within the 1000 ms of writes/);
    expect(e?.expected.contract.kind).toBe("after-snapshot-only");
  });

  it("appendfsync no: none lost to a kill, what Redis had not fsynced lost to a power cut", () => {
    const d = composed(`    command: ["redis-server", "--appendonly", "yes", "--appendfsync", "no", "--save", ""]\n${volume}`);
    expect(kinds(d)).toMatchObject({ sigkill: "none-lost", "power-loss": "since-last-fsync" });
  });

  it("no persistence: everything lost under every fault that restarts the server", () => {
    const d = composed(`    command: ["redis-server", "--save", "", "--appendonly", "no"]\n${volume}`);
    expect(kinds(d)).toMatchObject({ "graceful-stop": "all-lost", sigkill: "all-lost", "recreate-same-volume": "all-lost", "power-loss": "all-lost" });
  });

  it("maxmemory with allkeys-lru: memory pressure loses no more than the evicted keys; noeviction none", () => {
    const lru = composed(`    command: ["redis-server", "--appendonly", "yes", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]\n${volume}`);
    expect(kinds(lru)["memory-pressure"]).toBe("evicted-only");
    const refuse = composed(`    command: ["redis-server", "--appendonly", "yes", "--maxmemory", "64mb"]\n${volume}`);
    expect(kinds(refuse)["memory-pressure"]).toBe("none-lost");
  });
});
