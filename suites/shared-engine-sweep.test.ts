import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { dockerEngine } from "../harness/runtime/docker-engine.js";
import { LABEL, hostId, runLabels } from "../harness/runtime/labels.js";
import { LEASE_RENEW_MS, LEASE_TTL_S, renewLease, startLease } from "../harness/runtime/lease.js";
import { demuxDockerLog } from "../harness/runtime/docker-log.js";
import { sweep } from "../harness/runtime/sweep.js";

// Two hosts sharing one engine (CI jobs with the socket mounted, a remote DOCKER_HOST): a run's
// owner pid only means something on the host that labelled it. The other host here is a stand-in:
// objects labelled with another host id and a run of their own.
const OTHER_HOST = "another-ci-job/boot-id-of-its-kernel";
const TTL_S = 4;

/** A pid that is dead on this host: our own child's, after it exited. */
function deadPidOfOurChild(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

async function exists(kind: "container" | "volume", id: string): Promise<boolean> {
  const docker = await dockerEngine();
  const object = kind === "container" ? docker.getContainer(id) : docker.getVolume(id);
  return object.inspect().then(
    () => true,
    (error: { statusCode?: number }) => {
      if (error.statusCode === 404) return false;
      throw error;
    },
  );
}

async function leaseRunning(id: string): Promise<boolean> {
  const docker = await dockerEngine();
  return (await docker.getContainer(id).inspect()).State.Running;
}

/** The running leases of this run, on this host. */
async function ownLeaseIds(): Promise<string[]> {
  const docker = await dockerEngine();
  const filters = JSON.stringify({ label: [`${LABEL.run}=${inject("runId")}`, `${LABEL.role}=lease`, `${LABEL.host}=${hostId()}`], status: ["running"] });
  return (await docker.listContainers({ filters })).map((c) => c.Id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a sweep on an engine shared with another host", () => {
  it("holds this run's own lease while the run lives, renewed by the janitor", async () => {
    const docker = await dockerEngine();
    const [own] = await ownLeaseIds();
    expect(own).toBeDefined();
    const lease = docker.getContainer(own ?? "");
    const startedS = Date.parse((await lease.inspect()).State.StartedAt) / 1000;
    // Within two renewal periods the stamp must be newer than the start: the janitor touched it.
    const stampS = async (): Promise<number> => {
      const exec = await lease.exec({ Cmd: ["stat", "-c", "%Y", "/tmp/lease-renewed"], AttachStdout: true, AttachStderr: true });
      const chunks: Buffer[] = [];
      for await (const chunk of await exec.start({})) chunks.push(chunk as Buffer);
      return Number(demuxDockerLog(Buffer.concat(chunks)).trim());
    };
    const deadline = startedS * 1000 + 2 * LEASE_RENEW_MS + 5_000;
    while ((await stampS()) - startedS < 2 && Date.now() < deadline) await sleep(1_000);
    expect((await stampS()) - startedS).toBeGreaterThanOrEqual(2);
    expect(await leaseRunning(own ?? "")).toBe(true);
  }, 60_000);

  it("leaves another host's live run alone, though its owner pid is dead here, and takes it once its lease lapsed", async () => {
    const docker = await dockerEngine();
    const run = `foreign-${randomUUID().slice(0, 8)}`;
    const foreign = { [LABEL.run]: run, [LABEL.host]: OTHER_HOST, [LABEL.ownerPid]: String(deadPidOfOurChild()) };
    // A lease that outlasts the test's wait without renewals; the test ends it itself.
    const lease = await startLease(docker, inject("redisImage"), { labels: foreign, ttlS: LEASE_TTL_S + 60 });
    const container = await docker.createContainer({ Image: inject("redisImage"), Labels: { ...runLabels("redis"), ...foreign } });
    const volume = `redis-persistence-${run}-data`;
    await docker.createVolume({ Name: volume, Labels: { ...runLabels("volume"), ...foreign } });
    try {
      // Young objects stay whatever their lease (their run may be taking it as a sweep lists them) ...
      await sweep({ kind: "abandoned" });
      expect(await exists("container", container.id)).toBe(true);
      // ... and once older than a lease's TTL, they stay because the lease is held.
      const createdMs = Date.parse((await docker.getContainer(container.id).inspect()).Created);
      while (Date.now() < createdMs + (LEASE_TTL_S + 2) * 1000) await sleep(1_000);
      await sweep({ kind: "abandoned" });
      expect(await exists("container", container.id)).toBe(true);
      expect(await exists("volume", volume)).toBe(true);
      expect(await leaseRunning(lease)).toBe(true);

      // The other host is gone: its lease ends (here at once), and the next sweep takes everything of that run.
      await docker.getContainer(lease).kill();
      const removed = await sweep({ kind: "abandoned" });
      expect(removed.containers).toBeGreaterThanOrEqual(2);
      expect(await exists("container", container.id)).toBe(false);
      expect(await exists("container", lease)).toBe(false);
      expect(await exists("volume", volume)).toBe(false);
    } finally {
      await sweep({ kind: "run", runId: run, host: OTHER_HOST });
    }
  }, 120_000);

  it("ends a lease nobody renews by itself after its TTL, by the engine's clock", async () => {
    const docker = await dockerEngine();
    const run = `unrenewed-${randomUUID().slice(0, 8)}`;
    const lease = await startLease(docker, inject("redisImage"), { labels: { [LABEL.run]: run }, ttlS: TTL_S });
    try {
      expect(await leaseRunning(lease)).toBe(true);
      const deadline = Date.now() + (TTL_S + 10) * 1000;
      while ((await leaseRunning(lease)) && Date.now() < deadline) await sleep(500);
      expect(await leaseRunning(lease)).toBe(false);
    } finally {
      await sweep({ kind: "run", runId: run });
    }
  }, 60_000);

  it("keeps a lease alive for as long as its host renews it", async () => {
    const docker = await dockerEngine();
    const run = `renewed-${randomUUID().slice(0, 8)}`;
    const lease = await startLease(docker, inject("redisImage"), { labels: { [LABEL.run]: run }, ttlS: TTL_S });
    try {
      const until = Date.now() + (TTL_S + 3) * 1000;
      while (Date.now() < until) {
        expect(await renewLease(docker, run)).toBe(1);
        await sleep(1000);
      }
      expect(await leaseRunning(lease)).toBe(true);
    } finally {
      await sweep({ kind: "run", runId: run });
    }
  }, 60_000);

  it("takes its lease again when it lapsed (an engine restart, a host suspended past the TTL)", async () => {
    const docker = await dockerEngine();
    const before = await ownLeaseIds();
    expect(before.length).toBeGreaterThan(0);
    await Promise.all(before.map((id) => docker.getContainer(id).kill()));
    const deadline = Date.now() + 2 * LEASE_RENEW_MS + 5_000;
    let after: string[] = [];
    while (after.length === 0 && Date.now() < deadline) {
      await sleep(1_000);
      after = (await ownLeaseIds()).filter((id) => !before.includes(id));
    }
    expect(after.length).toBeGreaterThan(0);
  }, 60_000);
});
