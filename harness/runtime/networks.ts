import { setTimeout as sleep } from "node:timers/promises";
import type Dockerode from "dockerode";
import { dockerEngine } from "./docker-engine.js";
import { runLabels } from "./labels.js";

let counter = 0;

/**
 * Creates a labelled bridge network and returns its name. Testcontainers' `new Network()` takes no
 * labels (11.14), so the project's sweep would not see it; dockerode can label it.
 */
export async function createNetwork(purpose: string): Promise<string> {
  const docker = await dockerEngine();
  const labels = runLabels("network");
  const name = `redis-persistence-${labels["org.redis-persistence.run"]}-${process.pid}-${++counter}-${purpose}`;
  await docker.createNetwork({ Name: name, Driver: "bridge", CheckDuplicate: true, Labels: labels });
  return name;
}

const ACTIVE_ENDPOINTS_DEADLINE_MS = 20_000;
const FORCE_DISCONNECT_AFTER_MS = 5_000;

/**
 * Removes a network once nothing is attached to it; a network that is already gone is fine. The
 * engine can report "has active endpoints" for a moment after the containers on it were removed
 * (moby#17217, #42119: the endpoint's cleanup lags the container's removal on a busy machine), so
 * that answer is retried; an endpoint still there after a few seconds is disconnected by force
 * (the network is this run's own, so whatever is attached to it is too). Any other error, or one
 * that outlasts the deadline, is thrown: a network left behind is a leak the caller must report.
 */
export async function removeNetwork(name: string): Promise<void> {
  const docker = await dockerEngine();
  const network = docker.getNetwork(name);
  const start = Date.now();
  for (;;) {
    try {
      await network.remove();
      return;
    } catch (error) {
      const { statusCode, message } = error as { statusCode?: number; message?: string };
      if (statusCode === 404) return;
      const activeEndpoints = /active endpoints/i.test(String(message));
      if (!activeEndpoints || Date.now() - start > ACTIVE_ENDPOINTS_DEADLINE_MS) throw error;
      if (Date.now() - start > FORCE_DISCONNECT_AFTER_MS) await disconnectAll(network);
      await sleep(250);
    }
  }
}

async function disconnectAll(network: Dockerode.Network): Promise<void> {
  const info = (await network.inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined;
  const attached = Object.keys(info?.Containers ?? {});
  // Said aloud: a container still attached after its removal may be one the run lost track of.
  if (attached.length > 0) process.stderr.write(`[cleanup] network ${network.id}: disconnecting ${attached.map((id) => id.slice(0, 12)).join(", ")} still attached after removal\n`);
  for (const container of attached) {
    await network.disconnect({ Container: container, Force: true }).catch(() => undefined);
  }
}
