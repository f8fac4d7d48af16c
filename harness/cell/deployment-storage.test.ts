import { describe, expect, it } from "vitest";
import type { Deployment, Storage, StorageKind } from "../deployment/index.js";
import type { Platform } from "../deployment/storage.js";
import { survivalOf } from "../deployment/storage.js";
import type { FaultContext, FaultProof } from "../faults/fault.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { faultAsDeployed } from "../gate/gate-faults.js";
import { namedFault } from "../faults/index.js";
import { cellStorageOf, deploymentStoragePlan } from "./deployment-storage.js";
import { anonymousVolumeStorage, containerLayerStorage, namedVolumeStorage, tmpfsStorage } from "./storage.js";

/** A deployment whose data dir /data is on `kind`, with what that kind survives on `platform`. */
function on(kind: StorageKind, platform: Platform = "compose", extra: Partial<Storage> = {}): Pick<Deployment, "kind" | "storage" | "dataDir"> {
  const survives = survivalOf(kind, platform);
  return {
    kind: platform,
    storage: { kind, ...(kind === "none" ? {} : { mountPath: "/data" }), ...(survives ? { survives } : {}), ...extra },
    dataDir: { path: "/data", onStorage: kind !== "none" },
  };
}

describe("the deployment's storage as the cell mounts it at /data", () => {
  it.each([
    ["named-volume", "compose", "named-volume"],
    ["bind-mount", "compose", "named-volume"],
    ["pvc", "kubernetes", "named-volume"],
    ["volume-claim-template", "kubernetes", "named-volume"],
    ["host-path", "kubernetes", "named-volume"],
    ["tmpfs", "compose", "tmpfs"],
    ["empty-dir-memory", "kubernetes", "tmpfs"],
    ["anonymous-volume", "compose", "anonymous-volume"],
    ["empty-dir", "kubernetes", "anonymous-volume"],
    ["none", "compose", "none"],
    ["none", "kubernetes", "none"],
  ] as const)("%s (%s) runs on %s", (kind, platform, mount) => {
    const plan = deploymentStoragePlan(on(kind, platform));
    expect(plan.mount).toBe(mount);
    expect(plan.unreproducible).toBeUndefined();
    // Only storage that outlives its container keeps the files for a new one.
    expect(plan.survivesRecreate).toBe(mount === "named-volume");
    expect(plan.ranOn).toContain(`the deployment's ${kind === "none" ? "no volume" : kind}`);
  });

  it("names the CellStorage of each mount; a user's bind mount is never bound, a fresh named volume stands for it", () => {
    expect(cellStorageOf(deploymentStoragePlan(on("bind-mount", "compose", { source: "/srv/redis" })))).toBe(namedVolumeStorage);
    expect(cellStorageOf(deploymentStoragePlan(on("tmpfs")))).toBe(tmpfsStorage);
    expect(cellStorageOf(deploymentStoragePlan(on("empty-dir", "kubernetes")))).toBe(anonymousVolumeStorage);
    expect(cellStorageOf(deploymentStoragePlan(on("none")))).toBe(containerLayerStorage);
  });

  it("restarts the same container where that is what the deployment's restart keeps", () => {
    for (const [kind, platform] of [["named-volume", "compose"], ["tmpfs", "compose"], ["anonymous-volume", "compose"], ["empty-dir", "kubernetes"], ["none", "compose"], ["pvc", "kubernetes"]] as const) {
      expect(deploymentStoragePlan(on(kind, platform)).restart, `${kind} ${platform}`).toEqual({ as: "same-container" });
    }
  });

  it("restarts a Kubernetes container with no volume as a new container: the kubelet does", () => {
    expect(deploymentStoragePlan(on("none", "kubernetes")).restart).toMatchObject({ as: "new-container" });
    expect(deploymentStoragePlan(on("none", "kubernetes")).restartKeepsFiles).toBe(false);
    expect(deploymentStoragePlan(on("none", "compose")).restartKeepsFiles).toBe(true);
    expect(deploymentStoragePlan(on("tmpfs")).restartKeepsFiles).toBe(false);
  });

  it("does not reproduce a restart of a memory emptyDir: the pod keeps it, a Docker tmpfs is emptied (measured)", () => {
    expect(deploymentStoragePlan(on("empty-dir-memory", "kubernetes")).restart).toMatchObject({ as: "not-reproduced", reason: expect.stringMatching(/outlives a container restart/) });
  });

  it("runs a power cut on fault-fs only where the storage outlives one; RAM loses everything by construction", () => {
    expect(deploymentStoragePlan(on("named-volume")).powerLoss).toEqual({ as: "fault-fs" });
    expect(deploymentStoragePlan(on("anonymous-volume")).powerLoss).toEqual({ as: "fault-fs" });
    expect(deploymentStoragePlan(on("none")).powerLoss).toEqual({ as: "fault-fs" });
    expect(deploymentStoragePlan(on("tmpfs")).powerLoss).toMatchObject({ as: "loses-everything", reason: expect.stringMatching(/RAM/) });
    expect(deploymentStoragePlan(on("empty-dir-memory", "kubernetes")).powerLoss).toMatchObject({ as: "loses-everything" });
    // Not only RAM: an emptyDir on disk and a Kubernetes container's own layer go with the pod.
    expect(deploymentStoragePlan(on("empty-dir", "kubernetes")).powerLoss).toMatchObject({ as: "loses-everything", reason: expect.stringMatching(/goes with the pod/) });
    expect(deploymentStoragePlan(on("none", "kubernetes")).powerLoss).toMatchObject({ as: "loses-everything" });
    // A bind mount of host RAM (/dev/shm) keeps files across restarts and recreates, not a power cut.
    expect(deploymentStoragePlan(on("bind-mount", "compose", { inHostMemory: "/dev/shm/redis", survives: { restart: true, recreate: true, reboot: false } })).powerLoss).toMatchObject({ as: "loses-everything", reason: expect.stringMatching(/it is RAM/) });
  });

  it("puts files off every mount in the container's layer, whatever else is mounted", () => {
    const d = on("named-volume");
    expect(deploymentStoragePlan({ ...d, storage: { kind: "none", survives: { restart: true, recreate: false, reboot: true } }, dataDir: { path: "/var/lib/redis", onStorage: false } }).mount).toBe("none");
  });

  it("takes a bare config's or command line's unknown storage as the image's volume at /data, and a dir elsewhere as the layer", () => {
    expect(deploymentStoragePlan({ kind: "command", storage: { kind: "unknown" }, dataDir: { path: "/data", onStorage: "unknown" } }).mount).toBe("named-volume");
    expect(deploymentStoragePlan({ kind: "conf", storage: { kind: "unknown" }, dataDir: { path: "/var/lib/redis", onStorage: "unknown" } }).mount).toBe("none");
  });

  it("refuses what it cannot reproduce: an unknown volume type, a read-only mount", () => {
    const nfs = deploymentStoragePlan({ kind: "kubernetes", storage: { kind: "unknown", mountPath: "/data", note: "a nfs volume" }, dataDir: { path: "/data", onStorage: true } });
    expect(nfs.mount).toBeUndefined();
    expect(nfs.unreproducible).toMatch(/does not know \(a nfs volume\).*not reproduced here/);
    expect(cellStorageOf(nfs)).toBeUndefined();
    // Not reproduced is not "keeps nothing": the documented bound of a restart stays the settings'.
    expect(nfs.restartKeepsFiles).toBe(true);
    const named = deploymentStoragePlan({ kind: "kubernetes", storage: { kind: "unknown", mountPath: "/data", source: "data" }, dataDir: { path: "/data", onStorage: true } });
    expect(named.unreproducible).toMatch(/^the data dir is on a volume of a kind this gate does not know \(data\):/);
    expect(deploymentStoragePlan(on("named-volume", "compose", { readOnly: "compose.yml:7" })).unreproducible).toMatch(/read-only/);
  });
});

describe("a gate fault as deployed", () => {
  it("reads recreate-same-volume as the recreate as deployed, and proves a new container gets a new tmpfs", () => {
    const run = faultAsDeployed(namedFault("recreate-same-volume"), deploymentStoragePlan(on("tmpfs")));
    expect("run" in run && run.run.description).toMatch(/start a new one as deployed: on a new tmpfs/);
    expect("run" in run && run.run.name).toBe("recreate-same-volume");
  });

  it("does not run a power cut on RAM, lost by construction, nor anything on storage it cannot reproduce", () => {
    expect(faultAsDeployed(namedFault("power-loss"), deploymentStoragePlan(on("tmpfs")))).toMatchObject({ lostEverything: true, notRun: expect.stringMatching(/RAM/) });
    expect(faultAsDeployed(namedFault("sigkill"), deploymentStoragePlan(on("empty-dir-memory", "kubernetes")))).toMatchObject({ lostEverything: false });
    expect("run" in faultAsDeployed(namedFault("sigkill"), deploymentStoragePlan(on("named-volume")))).toBe(true);
  });

  it("heals a Kubernetes restart of a container with no volume as a new container", async () => {
    const run = faultAsDeployed(namedFault("sigkill"), deploymentStoragePlan(on("none", "kubernetes")));
    expect("run" in run && run.run.description).toMatch(/then a new container as the platform restarts one/);
    if (!("run" in run)) throw new Error("not run");
    const calls: string[] = [];
    const node = fakeNode(calls, ["/data on layer a", "/data on layer b"]);
    await run.run.heal(node, { volume: "v1" } as FaultContext);
    expect(calls).toEqual(["recreate v1"]);
  });

  it("stops as a SIGKILL where the deployment's SIGTERM never reaches the server (a sh -c without exec, stop_signal SIGQUIT)", () => {
    const kill = namedFault("sigkill");
    for (const name of ["graceful-stop", "short-grace", "recreate-same-volume"]) {
      const asKill = faultAsDeployed(namedFault(name), deploymentStoragePlan(on("named-volume")), true);
      if (!("run" in asKill)) throw new Error("not run");
      expect(asKill.run.inject, name).toBe(kill.inject);
      expect(asKill.run.description, name).toMatch(/as deployed, SIGTERM never reaches the server, so the stop ends in SIGKILL$/);
      const asWritten = faultAsDeployed(namedFault(name), deploymentStoragePlan(on("named-volume")), false);
      expect("run" in asWritten && asWritten.run.inject, name).not.toBe(kill.inject);
    }
    const crash = faultAsDeployed(kill, deploymentStoragePlan(on("named-volume")), true);
    expect("run" in crash && crash.run.description).not.toMatch(/SIGTERM never reaches/);
  });

  it("proves the recreate as deployed got what the deployment would: the same volume, or a different mount", async () => {
    for (const [kind, mounts, held] of [
      ["named-volume", ["volume v1", "volume v1"], true],
      ["named-volume", ["volume v1", "volume v2"], false],
      ["tmpfs", ["tmpfs a", "tmpfs b"], true],
      ["tmpfs", ["tmpfs a", "tmpfs a"], false],
    ] as const) {
      const run = faultAsDeployed(namedFault("recreate-same-volume"), deploymentStoragePlan(on(kind)));
      if (!("run" in run)) throw new Error("not run");
      const proofs: FaultProof[] = [];
      const calls: string[] = [];
      await run.run.heal(fakeNode(calls, [...mounts]), { volume: "v1", prove: (p) => proofs.push(p) } as FaultContext);
      expect(calls, kind).toEqual(["recreate v1"]);
      expect(proofs.map((p) => p.held), `${kind} ${mounts.join(" -> ")}`).toEqual([held]);
    }
  });
});

// Only what the heals call: recreate (recorded) and dataMount, before and after. A stand-in for pure logic, not Docker.
function fakeNode(calls: string[], mounts: string[]): StartedRedisNode {
  const next = (): string => mounts.shift() ?? "(none)";
  const node = {
    dataMount: () => Promise.resolve(next()),
    recreate: (volume: string | undefined) => {
      calls.push(`recreate ${volume ?? "(none)"}`);
      return Promise.resolve({ node, recoveryMs: 1 });
    },
  };
  return node as unknown as StartedRedisNode;
}
