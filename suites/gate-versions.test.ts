import path from "node:path";
import { GenericContainer, Wait } from "testcontainers";
import { describe, expect, inject, it } from "vitest";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import type { GateReport } from "../harness/gate/gate-report.js";
import { serverVersionOfImage } from "../harness/runtime/image-version.js";
import { resolveRedisImage, serverBinaryOf } from "../harness/runtime/images.js";
import { runLabels } from "../harness/runtime/labels.js";
import { CONFIG_PATH_IN_CONTAINER } from "../harness/runtime/redis-node.js";
import { VERSIONS } from "../harness/runtime/versions.js";

/** Captures what a command prints. */
function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const fixture = (name: string): string => path.join(import.meta.dirname, "../harness/gate/fixtures", name);
// No --image: the gate picks the build itself. No preload and one fault keep each gate short.
const gate = (io: CliIo, ...args: string[]) => main(["gate", "--dataset-size", "0", "--faults", "sigkill", "--max-loss", "60m", "--json", ...args], io);
// What the gate picks is the offline builds' business only where no registry answers and no image is forced.
const offline = inject("redisImageOrigin") === "offline-build" && !process.env.REDIS_IMAGE;
const OFFLINE = Object.entries(VERSIONS).flatMap(([id, spec]) => (id !== "default" && spec.offline ? [{ id, spec, offline: spec.offline }] : []));
// Each offline build is built here on first use (1-3 min each).
const BUILD_TIMEOUT_MS = 600_000;

describe.skipIf(!offline)("the offline builds (scripts/build-offline-image.sh)", () => {
  it.each(OFFLINE.map((b) => [b.id, b] as const))("%s gives the server version recorded in versions.ts", async (_id, b) => {
    const image = await resolveRedisImage(b.spec, "");
    expect(image.name).toBe(b.offline.image);
    expect(await serverVersionOfImage(image.name)).toBe(b.offline.serverVersion);
  }, BUILD_TIMEOUT_MS);

  // The official entrypoint: `command: ["--appendonly", "yes"]` (or one that starts with a .conf file) runs the server with it.
  it.each(OFFLINE.map((b) => [b.id, b] as const))("%s runs a flags-only command, and a .conf-first one, as the official image does", async (_id, b) => {
    const image = (await resolveRedisImage(b.spec, "")).name;
    const server = serverBinaryOf(image);
    const cli = server.replace("-server", "-cli");
    const start = (command: string[]) =>
      new GenericContainer(image)
        .withCommand(command)
        .withCopyContentToContainer([{ content: 'save ""\n', target: CONFIG_PATH_IN_CONTAINER, mode: 0o644 }])
        .withLabels(runLabels("entrypoint-check"))
        .withNetworkMode("none")
        .withWaitStrategy(Wait.forLogMessage("Ready to accept connections"))
        .withStartupTimeout(60_000)
        .start();
    for (const [command, save] of [[["--appendonly", "yes"], "3600 1 300 100 60 10000"], [[CONFIG_PATH_IN_CONTAINER, "--appendonly", "yes"], ""]] as const) {
      const container = await start([...command]);
      try {
        const get = async (name: string) => (await container.exec([cli, "config", "get", name])).output.trim().split("\n")[1] ?? "";
        expect(await get("appendonly")).toBe("yes");
        // 6.0 drops its built-in save points as soon as any flag or file is given; 6.2 on keep them.
        expect(await get("save")).toBe(b.id === "6.0" ? "" : save);
        // exec'd, not a child of a shell: SIGTERM from `docker stop` reaches the server.
        expect((await container.exec(["cat", "/proc/1/comm"])).output.trim()).toBe(server);
      } finally {
        await container.stop({ remove: true, removeVolumes: true });
      }
    }
  }, BUILD_TIMEOUT_MS);
});

describe.skipIf(!offline)("gate on the stock configs, offline: the right server and the nearest version, named (issue 10)", () => {
  it.each([
    ["redis-6.0-stock.conf", "6.0", "6.0.16", "a stock redis.conf listing `ignore-warnings` (Redis >= 6.0.10); run on the build of the same release line (Redis 6.0.16)"],
    ["redis-7.2-stock.conf", "8.0", "8.0.2", "run on the nearest build that knows every directive the config uses (Redis 8.0.2; Redis 7.0.15 does not know `locale-collate`)"],
    ["redis-8.0-stock.conf", "8.0", "8.0.2", "a stock redis.conf listing `hide-user-data-from-log` (Redis >= 7.4.0); run on the nearest build that knows every directive the config uses (Redis 8.0.2; no build of Redis 7.4 here)"],
    ["valkey-8.0-stock.conf", "valkey-8.1", "valkey 8.1.1", "read as Valkey (line 31 uses `dual-channel-replication-enabled`, which only Valkey knows); run on the nearest build that knows every directive the config uses (Valkey 8.1.1)"],
  ] as const)("gate --config %s is judged on the %s build (%s), saying so", async (name, id, serverVersion, why) => {
    const io = capture();
    const code = await gate(io, "--config", fixture(name));
    // Judged: a verdict (pass or fail), not a refusal of the config (exit 2).
    expect([0, 1], io.stderr).toContain(code);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.image).toBe(VERSIONS[id as keyof typeof VERSIONS].offline?.image);
    expect(report.serverVersion).toBe(serverVersion);
    expect(report.checks.find((c) => c.fault === "sigkill")?.outcome).not.toBe("not-applicable");
    const server = serverVersion.startsWith("valkey ") ? `Valkey ${serverVersion.slice(7)}` : `Redis ${serverVersion}`;
    expect(report.notes[0]).toBe(`no image named; ${why}: this verdict is for ${server} on ${report.image}`);
    expect(io.stderr).not.toMatch(/typo|Bad directive|\n\s+at /);
  }, BUILD_TIMEOUT_MS);

  it.each([
    ["compose-redis-6.0-stock.yml", "redis-6.0-stock.conf", "6.0.16", "redis:6.0 cannot be pulled here (no registry answers); run on the build of the same release line (Redis 6.0.16)"],
    ["compose-redis-7.2-stock.yml", "redis-7.2-stock.conf", "8.0.2", "redis:7.2 cannot be pulled here (no registry answers); run on the nearest build that knows every directive the config uses (Redis 8.0.2; no build of Redis 7.2 here)"],
  ])("a deployment %s runs on the build of its line, else the nearest that knows its directives (%s)", async (compose, conf, serverVersion, why) => {
    const io = capture();
    const code = await gate(io, fixture(compose), fixture(conf));
    expect([0, 1], io.stderr).toContain(code);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.serverVersion).toBe(serverVersion);
    expect(report.deployment?.imageNote).toBe(`${why}: this verdict is for Redis ${serverVersion} on ${report.image}`);
  }, BUILD_TIMEOUT_MS);

  it("a command line that starts valkey-server, with no image named, runs on the Valkey build", async () => {
    const io = capture();
    const code = await gate(io, "--command", "valkey-server --appendonly yes --appendfsync always");
    expect([0, 1], io.stderr).toContain(code);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.serverVersion).toBe("valkey 8.1.1");
    expect(report.deployment?.imageNote).toBe(
      `no image named; run on the nearest build that knows every directive the config uses (Valkey 8.1.1): this verdict is for Valkey 8.1.1 on ${VERSIONS["valkey-8.1"].offline?.image}`,
    );
  }, BUILD_TIMEOUT_MS);
});
