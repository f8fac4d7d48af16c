import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { dockerEngine } from "../harness/runtime/docker-engine.js";
import { demuxDockerLog } from "../harness/runtime/docker-log.js";
import { serverBinaryOf } from "../harness/runtime/images.js";
import { runLabels } from "../harness/runtime/labels.js";
import { createNetwork, removeNetwork } from "../harness/runtime/networks.js";

// A service in another container must reach the Redis image the way it reaches the official one:
// the official image compiles protected-mode's default to "no", and a config file's (or an
// argument's) own protected-mode still wins. The article's compose starts Redis from flags alone.
const redisImage = inject("redisImage");
const server = serverBinaryOf(redisImage);
const cli = server === "valkey-server" ? "valkey-cli" : "redis-cli";
const READY_TIMEOUT_MS = 30_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe(`${redisImage}: another container connects as to the official image`, () => {
  it("started from flags alone (redis-server --appendonly yes): PONG", async () => {
    expect(await pingFromAnotherContainer([server, "--appendonly", "yes"])).toBe("PONG");
  });

  it("with a config file that does not mention protected-mode: PONG", async () => {
    expect(await pingFromAnotherContainer([server, "/conf/redis.conf", "--appendonly", "yes"], "appendonly no\n")).toBe("PONG");
  });

  it("with a config file's own `protected-mode yes`: DENIED, the file wins", async () => {
    expect(await pingFromAnotherContainer([server, "/conf/redis.conf"], "protected-mode yes\n")).toMatch(/^DENIED/);
  });

  it("with --protected-mode yes: DENIED, the argument wins", async () => {
    expect(await pingFromAnotherContainer([server, "--protected-mode", "yes"])).toMatch(/^DENIED/);
  });
});

/** Starts Redis with `cmd` on a network of its own, then PINGs it from a second container by name; returns the reply. */
async function pingFromAnotherContainer(cmd: string[], configText?: string): Promise<string> {
  const docker = await dockerEngine();
  const network = await createNetwork("protected-mode");
  cleanups.push(() => removeNetwork(network));
  const binds: string[] = [];
  if (configText !== undefined) {
    const dir = await mkdtemp(path.join(tmpdir(), "redis-persistence-protected-mode-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o755); // the server runs as uid 999
    await writeFile(path.join(dir, "redis.conf"), configText, { mode: 0o644 });
    binds.push(`${dir}:/conf:ro`);
  }
  const redis = await docker.createContainer({
    Image: redisImage,
    Cmd: cmd,
    Labels: runLabels("redis"),
    HostConfig: { NetworkMode: network, Binds: binds },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: ["redis"] } } },
  });
  cleanups.push(() => redis.remove({ force: true, v: true }));
  await redis.start();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  // The first line that is not a connection error: PONG, or the server's DENIED message.
  for (;;) {
    const reply = await runCli(network, ["-h", "redis", "ping"]);
    if (!/Could not connect|Connection refused/i.test(reply)) return reply;
    if (Date.now() > deadline) throw new Error(`${cli} -h redis ping never reached the server: ${reply}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function runCli(network: string, args: string[]): Promise<string> {
  const docker = await dockerEngine();
  const container = await docker.createContainer({ Image: redisImage, Entrypoint: [cli], Cmd: args, Labels: runLabels("one-off"), HostConfig: { NetworkMode: network } });
  try {
    await container.start();
    await container.wait();
    const output = demuxDockerLog(await container.logs({ stdout: true, stderr: true, follow: false }));
    return output.trim().split("\n")[0] ?? "";
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
