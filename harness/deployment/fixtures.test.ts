import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DeploymentError } from "./deployment-error.js";
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
