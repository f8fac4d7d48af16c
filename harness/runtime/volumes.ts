import { dockerEngine } from "./docker-engine.js";
import { runLabels } from "./labels.js";

let counter = 0;

/** Creates a labelled named volume and returns its name. */
export async function createVolume(purpose: string): Promise<string> {
  const docker = await dockerEngine();
  const name = `redis-persistence-${runLabels("volume")["org.redis-persistence.run"]}-${process.pid}-${++counter}-${purpose}`;
  await docker.createVolume({ Name: name, Labels: runLabels("volume") });
  return name;
}

/** Removes a named volume; a volume that is already gone is fine. */
export async function removeVolume(name: string): Promise<void> {
  const docker = await dockerEngine();
  await docker
    .getVolume(name)
    .remove()
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
}
