import { RedisNode } from "../runtime/redis-node.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";
import { preloadDataset } from "../workload/dataset.js";

/** A grace no shutdown of a dataset this suite loads comes near, so the stop measures the whole shutdown, in ms. */
const MEASURE_GRACE_MS = 120_000;

/** How long `docker stop` takes on this config with `datasetMiB` of data: SIGTERM to exit, final save included (ms). */
export async function measureShutdownMs(image: string, configFile: string, datasetMiB: number): Promise<number> {
  const volume = await createVolume("gate-shutdown");
  let node;
  try {
    node = await new RedisNode(image, configFile).withVolume(volume).start();
    if (datasetMiB > 0) await node.withClient((redis) => preloadDataset(redis, datasetMiB), 120_000);
    const startedAtMs = Date.now();
    await node.stop(MEASURE_GRACE_MS);
    return Date.now() - startedAtMs;
  } finally {
    await node?.remove();
    await removeVolume(volume);
  }
}
