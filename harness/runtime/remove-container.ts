import { setTimeout as sleep } from "node:timers/promises";
import type Dockerode from "dockerode";

const IN_PROGRESS_DEADLINE_MS = 15_000;

/**
 * Kills and removes a container and its anonymous volumes. Gone already is fine; so is a removal
 * already under way (409, e.g. a heal and a teardown racing), which is waited out until the engine
 * no longer knows the container. Anything else is thrown: a container left behind is a leak.
 */
export async function removeContainer(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    const { statusCode, message } = error as { statusCode?: number; message?: string };
    if (statusCode === 404) return;
    if (statusCode !== 409 || !/in progress/i.test(String(message))) throw error;
    const deadline = Date.now() + IN_PROGRESS_DEADLINE_MS;
    while (await container.inspect().then(() => true, (e: { statusCode?: number }) => e.statusCode !== 404)) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
