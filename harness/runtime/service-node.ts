import type Dockerode from "dockerode";
import debug from "debug";
import { GenericContainer, Wait } from "testcontainers";
import { dockerEngine } from "./docker-engine.js";
import { demuxDockerLog } from "./docker-log.js";
import { runLabels } from "./labels.js";

const log = debug("redis-persistence:service");

/** The port the service listens on inside its container. */
export const SERVICE_PORT = 8000;

const READY_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 50;
const HEALTH_REQUEST_TIMEOUT_MS = 2_000;

/** How to start the prediction service: image, network, and its environment (REDIS_URL etc.). */
export interface ServiceNodeSettings {
  image: string;
  network: string;
  env: Record<string, string>;
}

/** The prediction service, not started yet; `start()` gives a StartedServiceNode. */
export class ServiceNode {
  private readonly settings: ServiceNodeSettings;

  constructor(image: string, network: string) {
    this.settings = { image, network, env: { REDIS_URL: "redis://redis:6379" } };
  }

  /** Adds environment variables (they win over the defaults). */
  withEnv(env: Record<string, string>): this {
    Object.assign(this.settings.env, env);
    return this;
  }

  /** Starts the container and waits until it listens and answers /health with 200 (Redis reachable). */
  async start(): Promise<StartedServiceNode> {
    const started = await new LoopbackServiceContainer(this.settings.image)
      .withNetworkMode(this.settings.network)
      .withEnvironment({ ...this.settings.env, PORT: String(SERVICE_PORT) })
      .withLabels(runLabels("service"))
      .withWaitStrategy(Wait.forLogMessage("prediction service listening"))
      .withStartupTimeout(READY_TIMEOUT_MS)
      .start();
    const docker = await dockerEngine();
    const node = new StartedServiceNode(docker.getContainer(started.getId()));
    await node.waitUntilHealthy();
    log("%s started %s", node.shortId, this.settings.image);
    return node;
  }
}

/** Testcontainers' GenericContainer with the service port published on 127.0.0.1 only. */
class LoopbackServiceContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withExposedPorts(SERVICE_PORT);
    this.hostConfig.PortBindings = { [`${SERVICE_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "0" }] };
  }
}

/** The prediction service in a container: its URL, stop with a grace, start again, logs. */
export class StartedServiceNode {
  constructor(private readonly container: Dockerode.Container) {}

  get shortId(): string {
    return this.container.id.slice(0, 12);
  }

  /** http://127.0.0.1:<port> as published right now (the port changes on every start). */
  async baseUrl(): Promise<string> {
    const info = await this.container.inspect();
    const binding = info.NetworkSettings.Ports[`${SERVICE_PORT}/tcp`]?.[0];
    if (!binding) throw new Error(`service container ${this.shortId} publishes no port for ${SERVICE_PORT} (state: ${info.State.Status})`);
    return `http://127.0.0.1:${binding.HostPort}`;
  }

  /** SIGTERM (the service drains and closes Redis), SIGKILL after `graceMs`. Resolves once it has exited. */
  async stop(graceMs: number): Promise<{ exitCode: number }> {
    // Docker counts whole seconds; rounding up keeps a 999 ms grace from meaning "kill now".
    await this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 304) throw error;
    });
    const result = (await this.container.wait()) as { StatusCode: number };
    return { exitCode: result.StatusCode };
  }

  /** Starts the same container again; resolves with ms until /health answered 200. */
  async startAgain(): Promise<number> {
    const startedAtMs = Date.now();
    await this.container.start();
    return this.waitUntilHealthy(startedAtMs);
  }

  /** Polls /health until it answers 200; returns ms since `sinceMs`. */
  async waitUntilHealthy(sinceMs = Date.now(), timeoutMs = READY_TIMEOUT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    for (;;) {
      const state = (await this.container.inspect()).State;
      if (!state.Running) throw new Error(`the service exited (code ${state.ExitCode}); its log:\n${await this.logs()}`);
      last = await fetch(`${await this.baseUrl()}/health`, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) }).then(
        async (response) => (response.status === 200 ? "" : `${response.status} ${await response.text()}`),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      if (last === "") return Date.now() - sinceMs;
      if (Date.now() > deadline) throw new Error(`the service in ${this.shortId} was not healthy within ${timeoutMs} ms (last /health: ${last}); its log:\n${await this.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    }
  }

  /** The service's log lines (JSON, one a line). */
  async logs(): Promise<string> {
    const buffer = await this.container.logs({ stdout: true, stderr: true, follow: false });
    return demuxDockerLog(buffer);
  }

  /** Kills and removes the container. */
  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
  }
}

