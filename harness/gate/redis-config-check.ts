import type Dockerode from "dockerode";
import { GenericContainer } from "testcontainers";
import type { BoundPorts, WaitStrategy } from "testcontainers";
import { dockerEngine } from "../runtime/docker-engine.js";
import { demuxDockerLog } from "../runtime/docker-log.js";
import { serverBinaryOf } from "../runtime/images.js";
import { runLabels } from "../runtime/labels.js";
import { CONFIG_PATH_IN_CONTAINER } from "../runtime/redis-node.js";
import type { FatalConfigError } from "./fatal-config-error.js";
import { parseFatalConfigError } from "./fatal-config-error.js";

/** Redis's own answer to a config file: it serves, or it exits (with its FATAL CONFIG FILE ERROR, when it printed one). */
export type ConfigCheck = { accepted: true } | { accepted: false; exitCode: number; fatal: FatalConfigError | undefined; logTail: string };

const CHECK_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
const READY = "Ready to accept connections";

/** Starts the image on the config with no network at all and reports whether Redis accepted it. Removes the container. */
export async function checkConfigWithRedis(image: string, configFile: string): Promise<ConfigCheck> {
  const started = await new GenericContainer(image)
    .withCommand([serverBinaryOf(image), CONFIG_PATH_IN_CONTAINER])
    .withCopyFilesToContainer([{ source: configFile, target: CONFIG_PATH_IN_CONTAINER, mode: 0o644 }])
    .withLabels(runLabels("config-check"))
    .withNetworkMode("none")
    .withWaitStrategy(new ServingOrExited())
    .withStartupTimeout(CHECK_TIMEOUT_MS)
    .start();
  const container = (await dockerEngine()).getContainer(started.getId());
  try {
    const state = (await container.inspect()).State;
    if (state.Running) return { accepted: true };
    const log = await logsOf(container);
    return { accepted: false, exitCode: state.ExitCode, fatal: parseFatalConfigError(log), logTail: log.trimEnd().split("\n").slice(-12).join("\n") };
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

async function logsOf(container: Dockerode.Container): Promise<string> {
  return demuxDockerLog(await container.logs({ stdout: true, stderr: true, follow: false }));
}

/** Ready when Redis serves or when the container has exited: both are answers (Testcontainers' own strategies fail on exit). */
class ServingOrExited implements WaitStrategy {
  private startupTimeoutMs = CHECK_TIMEOUT_MS;
  private timeoutSet = false;

  async waitUntilReady(container: Dockerode.Container, _ports: BoundPorts): Promise<void> {
    const deadline = Date.now() + this.startupTimeoutMs;
    for (;;) {
      if (!(await container.inspect()).State.Running) return;
      if ((await logsOf(container)).includes(READY)) return;
      if (Date.now() > deadline) throw new Error(`Redis neither served nor exited within ${this.startupTimeoutMs} ms of starting on the config`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }
}
