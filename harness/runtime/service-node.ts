import type Dockerode from "dockerode";
import debug from "debug";
import { GenericContainer } from "testcontainers";
import type { WaitStrategy } from "testcontainers";
import { dockerEngine } from "./docker-engine.js";
import { demuxDockerLog } from "./docker-log.js";
import { runLabels } from "./labels.js";
import { removeContainer } from "./remove-container.js";

const log = debug("redis-persistence:service");

const READY_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 50;
const HEALTH_REQUEST_TIMEOUT_MS = 2_000;
/** A service that listens on another port, or answers the health path with 404, is reported after this long (not after the whole timeout). */
const WRONG_KNOB_AFTER_MS = 5_000;
const LOG_TAIL_LINES = 20;

/** How to start a prediction service: image, the port it listens on and its health path, network, environment. */
export interface ServiceNodeSettings {
  image: string;
  /** The port the service listens on inside its container. */
  port: number;
  /** A GET that answers 2xx once the service can serve. */
  healthPath: string;
  network: string;
  env: Record<string, string>;
}

/** Why a service did not come up: one line saying what was expected and what came back, then its log. */
export class ServiceNotReadyError extends Error {
  override name = "ServiceNotReadyError";
  constructor(
    readonly line: string,
    log: string,
  ) {
    super(`${line}\n${log}`);
  }
}

/** A prediction service, not started yet; `start()` gives a StartedServiceNode. */
export class ServiceNode {
  private readonly settings: ServiceNodeSettings;

  constructor(settings: Omit<ServiceNodeSettings, "env">) {
    this.settings = { ...settings, env: {} };
  }

  /** Adds environment variables (later ones win). */
  withEnv(env: Record<string, string>): this {
    Object.assign(this.settings.env, env);
    return this;
  }

  /** Starts the container and waits until GET <healthPath> answers 2xx (it can reach Redis). */
  async start(): Promise<StartedServiceNode> {
    const { image, port, network, env } = this.settings;
    const started = await new LoopbackServiceContainer(image, port)
      .withNetworkMode(network)
      .withEnvironment(env)
      .withLabels(runLabels("service"))
      // Readiness is the health check below: a foreign service prints nothing we could wait for.
      .withWaitStrategy(new NoWait())
      .start();
    const docker = await dockerEngine();
    const node = new StartedServiceNode(docker.getContainer(started.getId()), this.settings);
    try {
      await node.waitUntilHealthy();
    } catch (error) {
      await node.remove();
      throw error;
    }
    log("%s started %s", node.shortId, image);
    return node;
  }
}

/** Testcontainers' GenericContainer with the service port published on 127.0.0.1 only. */
class LoopbackServiceContainer extends GenericContainer {
  constructor(image: string, port: number) {
    super(image);
    this.withExposedPorts(port);
    this.hostConfig.PortBindings = { [`${port}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "0" }] };
  }
}

/** Lets `start()` return as soon as the container runs. */
class NoWait implements WaitStrategy {
  private startupTimeoutMs = READY_TIMEOUT_MS;
  async waitUntilReady(): Promise<void> {}
  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return true;
  }
  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }
}

/** The prediction service in a container: its URL, stop with a grace, kill, start again, logs. */
export class StartedServiceNode {
  constructor(
    private readonly container: Dockerode.Container,
    readonly settings: ServiceNodeSettings,
  ) {}

  get shortId(): string {
    return this.container.id.slice(0, 12);
  }

  /** http://127.0.0.1:<port> as published right now (the port changes on every start). */
  async baseUrl(): Promise<string> {
    const info = await this.container.inspect();
    const binding = info.NetworkSettings.Ports[`${this.settings.port}/tcp`]?.[0];
    if (!binding) throw new Error(`service container ${this.shortId} publishes no port for ${this.settings.port} (state: ${info.State.Status})`);
    return `http://127.0.0.1:${binding.HostPort}`;
  }

  /** SIGTERM, SIGKILL after `graceMs`. Resolves once it has exited, with its exit code (137: Docker had to kill it). */
  async stop(graceMs: number): Promise<{ exitCode: number }> {
    // Docker counts whole seconds; rounding up keeps a 999 ms grace from meaning "kill now".
    await this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch(ignoreNotModified);
    const result = (await this.container.wait()) as { StatusCode: number };
    return { exitCode: result.StatusCode };
  }

  /** SIGKILL: whatever the service held only in its memory is gone. Resolves once it has exited. */
  async kill(): Promise<void> {
    await this.container.kill({ signal: "SIGKILL" }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 409) throw error;
    });
    await this.container.wait();
  }

  /** Starts the same container again; resolves with ms until the health path answered 2xx. */
  async startAgain(): Promise<number> {
    const startedAtMs = Date.now();
    await this.container.start();
    return this.waitUntilHealthy(startedAtMs);
  }

  /**
   * Polls GET <healthPath> until it answers 2xx; returns ms since `sinceMs`. Throws a
   * ServiceNotReadyError when the service exits, listens on another port, or is not healthy in time.
   */
  async waitUntilHealthy(sinceMs = Date.now(), timeoutMs = READY_TIMEOUT_MS): Promise<number> {
    const { image, port, healthPath } = this.settings;
    const startedAtMs = Date.now();
    const deadline = startedAtMs + timeoutMs;
    const expected = `GET ${healthPath} on port ${port} inside the container: expected 2xx within ${timeoutMs} ms`;
    let last = "no answer yet";
    for (;;) {
      const state = (await this.container.inspect()).State;
      if (!state.Running) throw new ServiceNotReadyError(`the service (${image}) exited with code ${state.ExitCode} before ${expected}`, await this.logTail());
      const answer = await probeHealth(`${await this.baseUrl()}${healthPath}`);
      if (answer.ok) return Date.now() - sinceMs;
      last = answer.text;
      const settled = Date.now() - startedAtMs > WRONG_KNOB_AFTER_MS;
      if (settled && (answer.status === 404 || answer.status === 405)) {
        throw new ServiceNotReadyError(`the service (${image}): ${expected}, got ${last}: is ${healthPath} its health path? set SERVICE_HEALTH_PATH`, await this.logTail());
      }
      if (settled && answer.status === 0) {
        const reason = wrongPortReason(port, await this.listeners());
        if (reason) throw new ServiceNotReadyError(`the service (${image}): ${expected}, got no answer: ${reason}`, await this.logTail());
      }
      if (Date.now() > deadline) throw new ServiceNotReadyError(`the service (${image}): ${expected} (Redis was up), got ${last}`, await this.logTail());
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    }
  }

  /** What listens inside the container (read from /proc/net; nothing where the image has no `cat`). */
  async listeners(): Promise<Listener[]> {
    const text = await this.exec(["cat", "/proc/net/tcp", "/proc/net/tcp6"]).catch(() => "");
    return listenersOf(text);
  }

  /** The service's log. */
  async logs(): Promise<string> {
    const buffer = await this.container.logs({ stdout: true, stderr: true, follow: false });
    return demuxDockerLog(buffer);
  }

  /** Kills and removes the container. */
  async remove(): Promise<void> {
    await removeContainer(this.container);
  }

  private async logTail(): Promise<string> {
    const lines = (await this.logs().catch(() => "")).trimEnd().split("\n");
    return `its log (last ${LOG_TAIL_LINES} lines):\n${lines.slice(-LOG_TAIL_LINES).join("\n")}`;
  }

  private async exec(cmd: string[]): Promise<string> {
    const exec = await this.container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: false });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return demuxDockerLog(Buffer.concat(chunks));
  }
}

/** A listening socket inside a container: its port, and whether other containers can reach it. */
export interface Listener {
  port: number;
  /** loopback: 127.0.0.0/8 or ::1, reachable from inside the container only. */
  scope: "reachable" | "loopback";
}

// Docker's embedded DNS listens on 127.0.0.11 at a random port in every container of a user network.
const DOCKER_DNS = "0B00007F";
const IPV6_LOOPBACK = "00000000000000000000000001000000";

/** The sockets in LISTEN state (st 0A) in the text of /proc/net/tcp and tcp6, sorted by port, once each; Docker's DNS left out. Pure. */
export function listenersOf(procNetTcp: string): Listener[] {
  const byPort = new Map<number, Listener["scope"]>();
  for (const line of procNetTcp.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (fields[3] !== "0A" || !local?.includes(":")) continue;
    const [address = "", portHex = ""] = local.split(":");
    if (address === DOCKER_DNS) continue;
    // /proc/net/tcp prints IPv4 addresses little-endian: 127.x.x.x ends in 7F.
    const loopback = (address.length === 8 && address.endsWith("7F")) || address === IPV6_LOOPBACK;
    const port = Number.parseInt(portHex, 16);
    if (byPort.get(port) !== "reachable") byPort.set(port, loopback ? "loopback" : "reachable");
  }
  return [...byPort].map(([port, scope]) => ({ port, scope })).sort((a, b) => a.port - b.port);
}

/** Why nothing answers on `port` although the service listens, or null when that is not it. Pure. */
export function wrongPortReason(port: number, listeners: readonly Listener[]): string | null {
  const reachable = listeners.filter((l) => l.scope === "reachable").map((l) => l.port);
  if (reachable.includes(port)) return null;
  if (listeners.some((l) => l.port === port)) return `it listens on port ${port} on loopback only (127.0.0.1 inside its container), where no other container reaches it: make it listen on 0.0.0.0`;
  if (reachable.length === 0) return null;
  return `nothing listens on port ${port} in the container; it listens on ${reachable.join(", ")}: set SERVICE_PORT`;
}

/** One GET of the health path: 2xx or not, and what came back (status 0: no answer). */
async function probeHealth(url: string): Promise<{ ok: boolean; status: number; text: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) });
    // One line: an HTML error page has newlines.
    const body = (await response.text()).replace(/\s+/g, " ").trim();
    return { ok: response.ok, status: response.status, text: `${response.status} ${body.length > 200 ? `${body.slice(0, 200)}...` : body}`.trim() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { ok: false, status: 0, text: `no answer (${error instanceof Error ? error.message : String(error)}${cause})` };
  }
}

function ignoreNotModified(error: { statusCode?: number }): void {
  if (error.statusCode !== 304) throw error;
}
