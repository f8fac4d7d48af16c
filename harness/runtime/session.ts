import { dockerEngine } from "./docker-engine.js";
import { resolveRedisImage } from "./images.js";
import type { RedisImageSpec, ResolvedImage } from "./images.js";
import { startJanitor } from "./janitor.js";
import { ownerPid, runId } from "./labels.js";
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
 * resolveRedisImage: REDIS_IMAGE when undefined, none when ""), and starts the janitor that cleans up
 * if this process dies. Disables Ryuk where no registry answers (it cannot be pulled).
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
  startJanitor(owner, id);
  return {
    runId: id,
    image,
    close: async () => {
      await sweep({ kind: "run", runId: id });
    },
  };
}
