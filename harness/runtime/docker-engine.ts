import type Dockerode from "dockerode";
import { getContainerRuntimeClient } from "testcontainers";

/** Raised when no Docker engine answers; the message says what to do. */
export class NoDockerEngineError extends Error {
  constructor(cause: unknown) {
    super(
      "No Docker engine answers (" +
        (cause instanceof Error ? cause.message : String(cause)) +
        "). Start Docker (or set DOCKER_HOST), or on a Debian/Ubuntu host run `sudo bash scripts/ensure-docker.sh`.",
    );
    this.name = "NoDockerEngineError";
  }
}

let engine: Promise<Dockerode> | undefined;

/** The dockerode client of the engine Testcontainers found (same DOCKER_HOST resolution). */
export function dockerEngine(): Promise<Dockerode> {
  engine ??= getContainerRuntimeClient().then(
    async (client) => {
      await client.container.dockerode.ping();
      return client.container.dockerode;
    },
    (error: unknown) => {
      engine = undefined;
      throw new NoDockerEngineError(error);
    },
  );
  return engine;
}
