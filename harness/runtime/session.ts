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
 * Set to the run id while a session of that run is open in this process (or, for the suite's
 * workers, in the process that owns them): a command run inside it (the suites call `main(["gate",
 * ...])`) joins that run instead of taking a second lease and sweeping the whole run, the outer
 * one's lease and live containers included, when it closes. Found in CI: the suite's lease was gone
 * for up to one renewal after each in-process gate.
 */
export const OPEN_SESSION_ENV = "REDIS_PERSISTENCE_OPEN_SESSION";

/**
 * Checks the engine, removes what interrupted runs left, picks the image (`override` as in
 * resolveRedisImage: REDIS_IMAGE when undefined, none when ""), takes the run's lease (lease.ts) and
 * starts the janitor that renews it and cleans up if this process dies. Disables Ryuk where no registry answers (it cannot be pulled).
 */
export async function openSession(spec?: RedisImageSpec, override?: string): Promise<Session> {
  await dockerEngine();
  const id = runId();
  const owner = ownerPid();
  if (process.env[OPEN_SESSION_ENV] === id) {
    // The outer session owns the lease, the janitor and the final sweep of this run.
    const image = await resolveRedisImage(spec, override);
    if (!image.registryReachable) process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
    return { runId: id, image, close: async () => undefined };
  }
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
  process.env[OPEN_SESSION_ENV] = id;
  return {
    runId: id,
    image,
    close: async () => {
      if (process.env[OPEN_SESSION_ENV] === id) delete process.env[OPEN_SESSION_ENV];
      await sweep({ kind: "run", runId: id });
    },
  };
}
