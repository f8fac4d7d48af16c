import type Dockerode from "dockerode";
import type { Redis } from "ioredis";
import debug from "debug";
import { dockerEngine } from "./docker-engine.js";
import { demuxDockerLog } from "./docker-log.js";
import { imageUser } from "./image-user.js";
import { serverBinaryOf } from "./images.js";
import { runLabels } from "./labels.js";
import { LoopbackRedisContainer } from "./loopback-redis-container.js";
import { connectOnce, parseInfo } from "./redis-client.js";
import { removeContainer } from "./remove-container.js";

const log = debug("redis-persistence:node");

/** Where the config file sits inside the container. */
export const CONFIG_PATH_IN_CONTAINER = "/usr/local/etc/redis/redis.conf";

const READY_TIMEOUT_MS = 120_000;
const POLL_MS = 25;

/** /data as the container's own, not a bind: a tmpfs, a labelled anonymous volume, or nothing mounted (the image's VOLUME, if any, applies). */
export type ContainerDataMount = "tmpfs" | "anonymous-volume" | "none";

/** How to start one Redis server: image, config file and where /data lives. */
export interface RedisNodeSettings {
  image: string;
  configFile: string;
  /** A named volume for /data; undefined gives the container a fresh anonymous volume. */
  volume?: string;
  /** Without `volume`: what the container mounts at /data itself; a recreated container gets a new one. */
  dataMount?: ContainerDataMount;
  /** Extra redis-server arguments after the config file. */
  args: string[];
  /** A user-defined network to join, and the name other containers reach this server by there. */
  network?: { name: string; alias: string };
  /** The container's memory limit in bytes (docker run --memory, no swap beyond it); undefined: none. */
  memoryLimitBytes?: number;
}

/** How a container stands: running, or exited with a code and whether the kernel's OOM killer struck. */
export interface ContainerState {
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
}

/** A Redis server not started yet; `start()` gives a StartedRedisNode. */
export class RedisNode {
  private readonly settings: RedisNodeSettings;

  constructor(image: string, configFile: string) {
    this.settings = { image, configFile, args: [] };
  }

  withVolume(volume: string | undefined): this {
    this.settings.volume = volume;
    return this;
  }

  /** /data as the container's own (tmpfs, anonymous volume, nothing), used when no volume is bound. */
  withDataMount(mount: ContainerDataMount | undefined): this {
    this.settings.dataMount = mount;
    return this;
  }

  withArgs(...args: string[]): this {
    this.settings.args.push(...args);
    return this;
  }

  /** Limits the container's memory (compose mem_limit, Kubernetes resources.limits.memory); swap adds nothing. */
  withMemoryLimit(bytes: number | undefined): this {
    this.settings.memoryLimitBytes = bytes;
    return this;
  }

  /** Joins `network` as `alias`; a recreated server joins it again under the same alias. */
  withNetwork(network: string, alias: string): this {
    this.settings.network = { name: network, alias };
    return this;
  }

  async start(): Promise<StartedRedisNode> {
    return startNode({ ...this.settings, args: [...this.settings.args] }, []);
  }
}

async function startNode(settings: RedisNodeSettings, previousLogs: string[]): Promise<StartedRedisNode> {
  const startedAtMs = Date.now();
  const builder = new LoopbackRedisContainer(settings.image)
    .withCommand([serverBinaryOf(settings.image), CONFIG_PATH_IN_CONTAINER, ...settings.args])
    .withCopyFilesToContainer([{ source: settings.configFile, target: CONFIG_PATH_IN_CONTAINER, mode: 0o644 }])
    .withLabels(runLabels("redis"))
    .withStartupTimeout(READY_TIMEOUT_MS);
  if (settings.volume) builder.withBindMounts([{ source: settings.volume, target: "/data", mode: "rw" }]);
  // Owned by the image's Redis user (a `mode=` option alone left /data root's 0755 here, Docker 20.10).
  else if (settings.dataMount === "tmpfs") builder.withTmpFs({ "/data": await tmpfsOptions(settings.image) });
  else if (settings.dataMount === "anonymous-volume") builder.withAnonymousVolume("/data", runLabels("volume"));
  if (settings.memoryLimitBytes !== undefined) builder.withMemoryLimit(settings.memoryLimitBytes);
  if (settings.network) builder.withNetworkMode(settings.network.name).withNetworkAliases(settings.network.alias);
  const started = await builder.start();
  const docker = await dockerEngine();
  const node = new StartedRedisNode(docker.getContainer(started.getId()), settings, previousLogs);
  await node.waitUntilServing(startedAtMs);
  log("%s started %s with %s", node.shortId, settings.image, settings.configFile);
  return node;
}

/** A Redis server in a container: stop, kill, start again, recreate, and read its state. */
export class StartedRedisNode {
  constructor(
    private readonly container: Dockerode.Container,
    readonly settings: RedisNodeSettings,
    private readonly previousLogs: string[],
  ) {}

  get shortId(): string {
    return this.container.id.slice(0, 12);
  }

  /** The host port the server is published on right now (it changes on every start). */
  async hostPort(): Promise<number> {
    const info = await this.container.inspect();
    const binding = info.NetworkSettings.Ports["6379/tcp"]?.[0];
    if (!binding) throw new Error(`container ${this.shortId} publishes no port for 6379 (is it running? state: ${info.State.Status})`);
    return Number(binding.HostPort);
  }

  /** A client for this server; the caller quits it. */
  async connect(commandTimeoutMs = 10_000): Promise<Redis> {
    const client = connectOnce(await this.hostPort(), { connectTimeoutMs: 5_000, commandTimeoutMs });
    await client.connect();
    return client;
  }

  /** Runs `action` with a short-lived client. */
  async withClient<T>(action: (client: Redis) => Promise<T>, commandTimeoutMs?: number): Promise<T> {
    const client = await this.connect(commandTimeoutMs);
    try {
      return await action(client);
    } finally {
      client.disconnect();
    }
  }

  async info(section: string): Promise<Map<string, string>> {
    return this.withClient(async (client) => parseInfo(await client.info(section)));
  }

  /** Sends a signal to redis-server (PID 1 of the container). */
  async signal(signal: "SIGKILL" | "SIGTERM" | "SIGINT"): Promise<void> {
    await this.container.kill({ signal });
  }

  /** `docker stop -t`: SIGTERM, then SIGKILL once `graceMs` has passed. Resolves with the exit code once the container has exited. */
  async stop(graceMs: number): Promise<{ exitCode: number }> {
    // Docker counts whole seconds; rounding up keeps a 999 ms grace from silently meaning "kill now".
    await this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch(ignoreNotRunning);
    return this.waitUntilExited();
  }

  /** What backs /data: the named volume or host path, the anonymous volume's name, or this container's tmpfs or layer. */
  async dataMount(): Promise<string> {
    const { Mounts, HostConfig } = await this.container.inspect();
    const mount = Mounts.find((m) => m.Destination === "/data");
    if (mount) return `${mount.Type} ${mount.Name ?? mount.Source}`;
    if (HostConfig.Tmpfs?.["/data"] !== undefined) return `the tmpfs of container ${this.shortId}`;
    return `no mount (the own layer of container ${this.shortId})`;
  }

  /** Whether the container runs, and if not, its exit code and Docker's OOMKilled flag. */
  async state(): Promise<ContainerState> {
    const { State } = await this.container.inspect();
    return { running: State.Running, exitCode: State.ExitCode, oomKilled: State.OOMKilled };
  }

  /** The memory limit the kernel enforces on the container (its cgroup, v1 or v2), in bytes; undefined when unlimited or unreadable. */
  async cgroupMemoryLimit(): Promise<number | undefined> {
    const text = await this.exec(["sh", "-c", "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null"]);
    const bytes = Number(text.trim());
    // cgroup v1 writes "no limit" as a huge page-aligned number, v2 as "max".
    return Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 62 ? bytes : undefined;
  }

  /** Waits until the container has exited, e.g. after a signal. */
  async waitUntilExited(): Promise<{ exitCode: number }> {
    const result = (await this.container.wait()) as { StatusCode: number };
    return { exitCode: result.StatusCode };
  }

  /** Starts the same container again; resolves with the recovery time (start to data served), in ms. */
  async startAgain(): Promise<number> {
    const startedAtMs = Date.now();
    await this.container.start();
    return this.waitUntilServing(startedAtMs);
  }

  /** Removes this container and starts a new one on `volume` (undefined: none), of `image` (default: the same). */
  async recreate(volume: string | undefined, image = this.settings.image): Promise<{ node: StartedRedisNode; recoveryMs: number }> {
    const logs = await this.logs();
    await this.remove();
    const startedAtMs = Date.now();
    const node = await startNode({ ...this.settings, volume, image }, [logs]);
    return { node, recoveryMs: Date.now() - startedAtMs };
  }

  /** Waits until the server answers and has finished loading; returns ms since `sinceMs`. */
  async waitUntilServing(sinceMs = Date.now()): Promise<number> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const state = (await this.container.inspect()).State;
      if (!state.Running) {
        throw new Error(`Redis exited while starting (exit code ${state.ExitCode}); last log lines:\n${tail(await this.logs(), 15)}`);
      }
      const loaded = await this.info("persistence").then(
        (fields) => fields.get("loading") === "0",
        () => false,
      );
      if (loaded) return Date.now() - sinceMs;
      if (Date.now() > deadline) throw new Error(`Redis in ${this.shortId} did not serve within ${READY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The server log of this container and of the containers it replaced. */
  async logs(): Promise<string> {
    const buffer = await this.container.logs({ stdout: true, stderr: true, follow: false });
    return [...this.previousLogs, demuxDockerLog(buffer)].join("\n--- container replaced ---\n");
  }

  /** `ls -la` of the data dir (and of the AOF dir, where there is one). */
  async dataDirListing(): Promise<string> {
    const state = (await this.container.inspect()).State;
    if (!state.Running) return "(container not running: no listing)";
    return this.exec(["sh", "-c", "ls -la /data; ls -la /data/appendonlydir 2>/dev/null || true"]);
  }

  private async exec(cmd: string[]): Promise<string> {
    const exec = await this.container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return demuxDockerLog(Buffer.concat(chunks));
  }

  /** Total bytes of files in the data dir. */
  async dataDirBytes(): Promise<number> {
    const listing = await this.dataDirListing();
    let bytes = 0;
    for (const line of listing.split("\n")) {
      const fields = line.trim().split(/\s+/);
      if (fields[0]?.startsWith("-")) bytes += Number(fields[4] ?? 0);
    }
    return bytes;
  }

  /** Kills and removes the container and its anonymous volumes; named volumes are left to their owner. */
  async remove(): Promise<void> {
    await removeContainer(this.container);
  }
}

/** Mount options for a tmpfs at /data that the image's Redis user can write. */
async function tmpfsOptions(image: string): Promise<string> {
  const user = await imageUser(image);
  return user ? `rw,uid=${user.uid},gid=${user.gid},mode=0755` : "rw,mode=1777";
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function ignoreNotRunning(error: { statusCode?: number }): void {
  if (error.statusCode !== 304) throw error;
}
