import { describe, expect, it } from "vitest";
import { readDeploymentFiles } from "../deployment/index.js";
import type { Deployment } from "../deployment/index.js";
import { gateInputOf } from "./deployment-gate.js";
import { GateConfigError } from "./gate-config-error.js";
import { gateFacts, readGateSettings } from "./gate-settings.js";

const REDIS_70 = { flavor: "redis", version: "7.0.15" } as const;
const FIXTURES = "harness/deployment/fixtures/compose";

async function deployed(file: string, service: string): Promise<Deployment> {
  const set = await readDeploymentFiles([`${FIXTURES}/${file}`], { service });
  const d = set.deployments[0];
  if (!d) throw new Error(`no ${service} in ${file}`);
  return d;
}

// Each fact decides a documented bound: a field lost in gateFacts lets the gate pass what it must fail.
describe("gateFacts", () => {
  const bare = (conf: string) => readGateSettings(conf, "redis.conf", REDIS_70).conf;

  it("a bare redis.conf: the harness's volume is at dir only for /data; no restart or reboot facts", () => {
    expect(gateFacts(bare("dir /tmp\n"), { graceMs: 10_000, shutdownMs: 100 })).toEqual({
      shutdownOutlastsGrace: false,
      dirOnVolume: false,
      dir: "/tmp",
      memory: { maxmemoryBytes: 0, policy: "noeviction" },
      saveMs: 100,
    });
    expect(gateFacts(bare("dir /data\n"), { graceMs: 10_000, shutdownMs: 100 }).dirOnVolume).toBe(true);
  });

  it("a shutdown longer than the grace is a kill; an unmeasured one adds no save time", () => {
    const conf = bare("appendonly yes\n");
    expect(gateFacts(conf, { graceMs: 1_000, shutdownMs: 1_001 }).shutdownOutlastsGrace).toBe(true);
    expect(gateFacts(conf, { graceMs: 1_000, shutdownMs: 1_000 }).shutdownOutlastsGrace).toBe(false);
    expect(gateFacts(conf, { graceMs: 1_000 })).not.toHaveProperty("saveMs");
  });

  it("a deployment whose SIGTERM never reaches the server stops by SIGKILL, however fast its shutdown", async () => {
    const input = gateInputOf(await deployed("sh-c.yml", "no-exec"));
    expect(input.stopIsKill).toBe(true);
    const { conf } = readGateSettings(input.text, "sh-c.yml", REDIS_70);
    expect(gateFacts(conf, { graceMs: 10_000, shutdownMs: 50, deployment: input }).shutdownOutlastsGrace).toBe(true);
  });

  it("a deployment on a tmpfs: files survive neither a restart nor a reboot, nor a new container", async () => {
    const input = gateInputOf(await deployed("aof-always-tmpfs.yml", "redis"));
    const { conf } = readGateSettings(input.text, "aof-always-tmpfs.yml", REDIS_70);
    const facts = gateFacts(conf, { graceMs: 10_000, shutdownMs: 50, deployment: input });
    expect([facts.restartKeepsFiles, facts.rebootKeepsFiles, facts.dirOnVolume]).toEqual([false, false, false]);
    expect(facts.storageText).toMatch(/tmpfs/);
    expect(facts.saveMs).toBe(50);
  });

  it("a deployment on a named volume keeps its files; its memory limit reaches the memory facts", async () => {
    const d = await deployed("aof-always-volume.yml", "redis");
    const input = { ...gateInputOf(d), memoryLimit: { bytes: 268_435_456, text: "256 MiB, deploy.resources.limits.memory" } };
    const { conf } = readGateSettings(input.text, "aof-always-volume.yml", REDIS_70);
    const facts = gateFacts(conf, { graceMs: 10_000, shutdownMs: 50, deployment: input });
    expect([facts.restartKeepsFiles, facts.rebootKeepsFiles, facts.dirOnVolume, facts.shutdownOutlastsGrace]).toEqual([true, true, true, false]);
    expect(facts.memory?.limit?.bytes).toBe(268_435_456);
  });
});

describe("readGateSettings", () => {
  it("refuses a line the gate cannot follow, naming where it came from", () => {
    expect(() => readGateSettings("include /etc/redis/extra.conf\n", "prod.conf", REDIS_70)).toThrow(GateConfigError);
  });

  it("reads a quoted multi-value argument as the server's version does (split since 7.0.1)", () => {
    expect(readGateSettings('save "900 1 300 10"\n', "x", REDIS_70).conf.savePoints).toHaveLength(2);
  });
});
