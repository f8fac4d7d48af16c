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

/** Removes a network once nothing is attached to it; a network that is already gone is fine. */
export async function removeNetwork(name: string): Promise<void> {
  const docker = await dockerEngine();
  await docker
    .getNetwork(name)
    .remove()
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
}
