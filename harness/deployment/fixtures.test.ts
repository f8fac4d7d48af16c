import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DeploymentError } from "./deployment-error.js";
import { deploymentStoragePlan } from "../cell/deployment-storage.js";
import { deploymentHazards } from "../gate/deployment-gate.js";
import { readDeployments } from "./read-deployments.js";

const ROOT = "harness/deployment/fixtures";
const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
const all = [...walk(ROOT), "app-under-test/compose/docker-compose.broken.yml", "app-under-test/compose/docker-compose.fixed.yml"].sort();

describe("every fixture, read alone", () => {
  it("has at least 15 fixtures, each citing where it comes from", () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const file of walk(ROOT)) expect(readFileSync(file, "utf8"), file).toMatch(/^(---\n)?#/);
  });

  it.each(all)("%s reads into deployments or a DeploymentError, never anything else", (file) => {
    try {
      const set = readDeployments([{ path: file, text: readFileSync(file, "utf8") }]);
      for (const d of set.deployments) {
        expect(d.argv[0]).toMatch(/^(redis|valkey)(-stack)?-server$/);
        expect(d.stopGrace.ms).toBeGreaterThan(0);
        expect(["redis", "valkey", "unknown"]).toContain(d.server);
      }
    } catch (error) {
      expect(error).toBeInstanceOf(DeploymentError);
      expect((error as DeploymentError).message).not.toMatch(/undefined|\[object Object\]/);
    }
  });
});

// Every fixture that must not pass `gate --max-loss 0`, each deployment with why: a hazard that fails the gate, or a power cut held to "everything".
const MUST_FAIL: Record<string, Record<string, RegExp>> = {
  "compose/host-memory.yml": { redis: /^power-cut$/, queue: /^power-cut$/, cache: /^storage-in-memory$/ },
  "compose/rm-before-server.yml": { redis: /^start-empties-data-dir$/ },
  "compose/rewrite-conf-before-server.yml": { redis: /^start-rewrites-config$/, sed: /^start-rewrites-config$/ },
  "compose/aof-dir-tmpfs.yml": { redis: /^data-dir-split-across-mounts$/ },
  "compose/volumes-from.yml": { redis: /^anonymous-volume-only$/ },
  "k8s/init-container-cleanup.yaml": { "StatefulSet/redis container redis": /^init-container-empties-data-dir$/ },
  "k8s/aof-dir-emptydir.yaml": { "Deployment/redis container redis": /^data-dir-split-across-mounts$/ },
  "k8s/nfs-volume.yaml": { "Pod/redis-nfs container redis": /^not-reproduced$/, "Pod/redis-shm container redis": /^power-cut$/ },
  "compose/tmpfs.yml": { cache: /^storage-in-memory$/, queue: /^storage-in-memory$/ },
  "compose/aof-always-no-volume.yml": { redis: /^(no-storage|anonymous-volume-only)$/ },
  "compose/start-branches.yml": { branch: /^start-command-branches$/, flags: /^start-command-branches$/, case: /^start-command-branches$/, fallback: /^start-command-branches$/, "empty-extra": /^start-command-branches$/, "copied-var": /^start-command-branches$/, "cp-branches": /^start-command-branches$/, braces: /^start-command-branches$/, probe: /^start-command-branches$/, "other-exec": /^start-command-branches$/, "sourced-env": /^start-command-branches$/, function: /^start-command-branches$/, "set-args": /^start-command-branches$/, "read-var": /^start-command-branches$/, "warm-up": /^start-command-branches$/, "unknown-value": /^unknown-server-setting$/, "write-include-dir": /^start-rewrites-config$/ },
};

describe("no input in the fixture set exits 0 where it should not", () => {
  it.each(Object.entries(MUST_FAIL))("%s fails --max-loss 0 for the reason it must", (name, expected) => {
    const file = path.join(ROOT, name);
    const set = readDeployments([{ path: file, text: readFileSync(file, "utf8") }]);
    const reasons = Object.fromEntries(
      set.deployments.map((d) => {
        const plan = deploymentStoragePlan(d);
        const why = [...deploymentHazards(d).filter((h) => h.failsGate).map((h) => h.id), ...(plan.powerLoss.as === "loses-everything" ? ["power-cut"] : []), ...(plan.unreproducible !== undefined ? ["not-reproduced"] : [])];
        return [d.name, why];
      }),
    );
    for (const [deployment, reason] of Object.entries(expected)) expect(reasons[deployment], `${deployment}: ${JSON.stringify(reasons)}`).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
  });
});
