import { dockerEngine } from "./docker-engine.js";
import { resolveRedisImage } from "./images.js";
import type { RedisImageSpec, ResolvedImage } from "./images.js";
import { startJanitor } from "./janitor.js";
import { ownerPid, runId } from "./labels.js";
import { startLease } from "./lease.js";
import { sweep } from "./sweep.js";

/** One run of the suite or the matrix: its id, its image, and its cleanup. */
export interface Session {
  runId: string;
  image: ResolvedImage;
  /** Removes everything this run created. */
  close(): Promise<void>;
}

/**
 * Checks the engine, removes what interrupted runs left, picks the image (`override` as in
 * resolveRedisImage: REDIS_IMAGE when undefined, none when ""), takes the run's lease (lease.ts) and
 * starts the janitor that renews it and cleans up if this process dies. Disables Ryuk where no registry answers (it cannot be pulled).
 */
export async function openSession(spec?: RedisImageSpec, override?: string): Promise<Session> {
  await dockerEngine();
  const id = runId();
  const owner = ownerPid();
  const stale = await sweep({ kind: "abandoned" });
  if (stale.containers + stale.volumes + stale.networks > 0) {
    process.stderr.write(`[session] removed leftovers of interrupted runs: ${JSON.stringify(stale)}\n`);
  }
  const image = await resolveRedisImage(spec, override);
  if (!image.registryReachable) process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
  await startLease(await dockerEngine(), image.name).catch((error: unknown) => {
    process.stderr.write(
      `[session] could not start this run's lease container on ${image.name} (${error instanceof Error ? error.message : String(error)}): ` +
        "another host sharing this engine may take this run's containers for abandoned ones\n",
    );
  });
  startJanitor(owner, id, image.name);
  return {
    runId: id,
    image,
    close: async () => {
      await sweep({ kind: "run", runId: id });
    },
  };
}
