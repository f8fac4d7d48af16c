import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Deployment } from "./deployment.js";
import { DeploymentError } from "./deployment-error.js";
import { readDeploymentFiles, readDeployments } from "./read-deployments.js";

// Compose merges its files into one model; the gate reads one model, so it refuses to read them apart.
const base = "services:\n  redis:\n    image: redis:7.2\n    command: redis-server --appendonly yes --appendfsync always\n    volumes:\n      - redis-data:/data\nvolumes:\n  redis-data: {}\n";
const override = "services:\n  redis:\n    volumes:\n      - type: tmpfs\n        target: /data\n";
const refusal = async (run: () => Promise<unknown>): Promise<DeploymentError> => {
  try {
    await run();
  } catch (e) {
    if (e instanceof DeploymentError) return e;
    throw e;
  }
  throw new Error("expected a DeploymentError");
};

describe("several compose files", () => {
  const dirs: string[] = [];
  // Each case's folder of compose files, removed after the file's cases.
  const scratchDir = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gate-override-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses two compose files given together, with the command that merges them", async () => {
    const e = await refusal(async () => readDeployments([{ path: "compose.yml", text: base }, { path: "compose.prod.yml", text: override }]));
    expect(e.code).toBe("unmerged-compose");
    expect(e.message).toMatch(/docker compose -f compose.yml -f compose.prod.yml config > merged.yml && redis-persistence gate merged.yml/);
  });

  it("refuses a default-named compose file whose override sits beside it (docker compose up reads both)", async () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "docker-compose.yml"), base);
    writeFileSync(path.join(dir, "docker-compose.override.yml"), override);
    const e = await refusal(() => readDeploymentFiles([path.join(dir, "docker-compose.yml")]));
    expect(e.code).toBe("unmerged-compose");
    expect(e.message).toContain(`${path.join(dir, "docker-compose.override.yml")} sits beside`);
    expect(e.message).toMatch(/-f .*docker-compose.yml` alone/);
  });

  it("reads a default-named file alone when no override sits beside it, and a custom-named one whatever sits beside it", async () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, "compose.yaml"), base);
    expect((await readDeploymentFiles([path.join(dir, "compose.yaml")])).deployments).toHaveLength(1);
    writeFileSync(path.join(dir, "prod.yml"), base);
    writeFileSync(path.join(dir, "compose.override.yaml"), override);
    expect((await readDeploymentFiles([path.join(dir, "prod.yml")])).deployments).toHaveLength(1);
    await expect(readDeploymentFiles([path.join(dir, "compose.yaml")])).rejects.toThrow(/compose.override.yaml sits beside/);
  });

  it("refuses a service with two mounts on one path: the engine would not start it", () => {
    const twice = base.replace("      - redis-data:/data\n", "      - redis-data:/data\n    tmpfs:\n      - /data/\n");
    expect(() => readDeployments([{ path: "c.yml", text: twice }])).toThrow(/mounts two things at \/data .*Duplicate mount point/);
  });

  it("reads the merged model `docker compose config` prints: the override's tmpfs over /data is a danger", () => {
    // The shape of `docker compose -f docker-compose.yml -f docker-compose.override.yml config` (compose v2):
    // a project name, commands as lists, long-syntax volumes, named networks and volumes.
    const merged = `name: app
services:
  redis:
    command:
      - redis-server
      - --appendonly
      - "yes"
      - --appendfsync
      - always
    image: redis:7.2
    networks:
      default: null
    volumes:
      - type: tmpfs
        target: /data
networks:
  default:
    name: app_default
volumes:
  redis-data:
    name: app_redis-data
`;
    const d = readDeployments([{ path: "merged.yml", text: merged }]).deployments[0] as Deployment;
    expect(d.directives.filter((x) => x.name === "appendfsync").map((x) => x.args)).toEqual([["always"]]);
    expect(d.storage.kind).toBe("tmpfs");
    expect(d.findings.map((f) => f.id)).toContain("storage-in-memory");
  });
});
