import type { Redis } from "ioredis";
import { formatBytes } from "../gate/redis-memory.js";
import { parseInfo } from "../runtime/redis-client.js";
import type { ContainerState, StartedRedisNode } from "../runtime/redis-node.js";
import type { Fault, FaultContext } from "./fault.js";
import { deleteKeys, fillUntil, overwriteFill, usedMemory } from "./memory-fill.js";
import { lastForkCowPeakMB, memoryLimitProof, oomKillProof } from "./memory-proofs.js";
import { askPersistencePolicy, persistsAnything } from "./persistence-policy.js";

/** The memory limit the matrix runs this fault under when no deployment gives one. */
export const DEFAULT_FORK_MEMORY_LIMIT_BYTES = 256 * 1024 ** 2;

/** How full Redis is made before the fork, as a share of the limit (used_memory): past half, a fork that copies every page cannot fit. */
export const FORK_FILL_SHARE = 0.6;

/** How long the fork is made to take at least (ms): long enough for the overwrite to reach every page before it ends. */
export const FORK_MIN_DURATION_MS = 3_000;

/** How often the fill is overwritten at most while the fork runs. */
const MAX_OVERWRITES = 3;
const FILL_PREFIX = "fork-fill:";
// Past the slowed fork's own duration: a server that survives has finished it by then.
const EXIT_WAIT_MS = FORK_MIN_DURATION_MS + 5_000;
const POLL_MS = 50;

/**
 * The deployment's memory limit on the container (no swap beyond it), Redis filled to
 * FORK_FILL_SHARE of it, then the fork Redis makes to persist (BGREWRITEAOF with an AOF, BGSAVE
 * otherwise) while the fill is overwritten and the writers go on: copy-on-write keeps the old pages
 * for the child while the new values take new ones (redis.io admin docs: "up to 2 times the memory
 * normally used"). The child is slowed to FORK_MIN_DURATION_MS (rdb-key-save-delay, as Redis's own
 * tests do), as the fork of a large dataset on a busy disk is: without it the race between child and
 * overwrite decides, and a fast child fits (measured here: CoW peak 40 MB). Proves the OOM kill
 * (exit code 137, Docker's OOMKilled), then starts the same container. Not applicable with no limit,
 * no persistence, or a `maxmemory` of at most half the limit.
 */
export function forkUnderMemoryLimit(limitBytes: number | undefined, limitSource = "the matrix's limit"): Fault<"fork-under-memory-limit"> {
  const fault: Fault<"fork-under-memory-limit"> = {
    name: "fork-under-memory-limit",
    description:
      limitBytes === undefined
        ? "a persistence fork under write load in a container with a memory limit (none given here)"
        : `memory limit ${formatBytes(limitBytes)} (${limitSource}), filled to ${FORK_FILL_SHARE * 100}%, then BGSAVE or BGREWRITEAOF (slowed to ~${FORK_MIN_DURATION_MS / 1000} s) while the fill is overwritten, then start the same container`,
    async inject(node, ctx) {
      if (limitBytes === undefined) {
        ctx.notApplicable?.("no memory limit on the container (compose mem_limit / deploy.resources.limits.memory, Kubernetes resources.limits.memory): its own limit cannot OOM-kill it");
        return;
      }
      const limit = memoryLimitProof(limitBytes, await node.cgroupMemoryLimit());
      if (!limit.held) {
        ctx.notApplicable?.(`the Docker engine here does not enforce the memory limit (${limit.seen}): this fault cannot run on it`);
        return;
      }
      ctx.prove?.(limit);
      const why = await notApplicableBecause(node, limitBytes);
      if (why) {
        ctx.notApplicable?.(why);
        return;
      }
      await forkUnderLoad(node, limitBytes, ctx);
      const state = await exitedOrRunning(node);
      ctx.measure?.("exitCode", state.running ? "running" : state.exitCode);
      ctx.measure?.("oomKilled", String(state.oomKilled));
      // Only a fork that finished logs its copy-on-write; a killed one leaves an earlier fork's line last.
      const cow = state.running ? lastForkCowPeakMB(await node.logs()) : undefined;
      if (cow !== undefined) ctx.measure?.("forkCowPeakMB", cow);
      ctx.prove?.(oomKillProof(state));
    },
    async heal(node) {
      const state = await node.state();
      const recoveryMs = state.running ? 0 : await node.startAgain();
      // The fill is the fault's own: what of it was persisted would count as keys nobody wrote.
      await node.withClient((redis) => deleteKeys(redis, FILL_PREFIX), 120_000);
      return { node, recoveryMs };
    },
  };
  return limitBytes === undefined ? fault : { ...fault, memoryLimitBytes: limitBytes };
}

async function notApplicableBecause(node: StartedRedisNode, limitBytes: number): Promise<string | undefined> {
  const policy = await askPersistencePolicy(node);
  if (policy.known && !persistsAnything(policy)) return "no AOF and no save points: Redis never forks to persist";
  const maxmemory = Number(await node.withClient(async (redis) => ((await redis.call("CONFIG", "GET", "maxmemory")) as string[])[1]));
  if (maxmemory > 0 && maxmemory * 2 <= limitBytes) {
    return `maxmemory ${formatBytes(maxmemory)} is at most half the memory limit ${formatBytes(limitBytes)}: even a fork that copies every page (the docs' "up to 2 times") fits`;
  }
  return undefined;
}

// Fill, fork, overwrite: a broken connection means Redis died, which the exit state then tells.
async function forkUnderLoad(node: StartedRedisNode, limitBytes: number, ctx: FaultContext): Promise<void> {
  const redis = await node.connect(120_000);
  try {
    const maxmemory = Number(((await redis.call("CONFIG", "GET", "maxmemory")) as string[])[1]);
    const target = Math.min(limitBytes * FORK_FILL_SHARE, maxmemory > 0 ? maxmemory * 0.95 : Infinity);
    const keys = await fillUntil(redis, FILL_PREFIX, target);
    ctx.measure?.("usedMemoryBeforeFork", await usedMemory(redis));
    const aof = ((await redis.call("CONFIG", "GET", "appendonly")) as string[])[1] === "yes";
    ctx.measure?.("fork", aof ? "BGREWRITEAOF" : "BGSAVE");
    // An automatic rewrite the fill set off runs at full speed: let it end, then fork slowed.
    await waitUntilNoFork(redis);
    ctx.measure?.("forkDelayUsPerKey", await slowForks(redis, keys));
    await startFork(redis, aof);
    for (let pass = 0; pass < MAX_OVERWRITES && (await forkRunning(redis)); pass++) await overwriteFill(redis, FILL_PREFIX, keys, () => forkRunning(redis));
  } catch (error) {
    // Docker notices the kill a moment after the connection breaks.
    if ((await exitedOrRunning(node)).running) throw error;
  } finally {
    // Forks after the fault (and a server that survived) save at full speed again.
    await redis.config("SET", "rdb-key-save-delay", "0").catch(() => undefined);
    redis.disconnect();
  }
}

// A per-key delay in the child (microseconds); "n/a" where the server has no such setting.
async function slowForks(redis: Redis, keys: number): Promise<number | string> {
  const delayUs = Math.max(1, Math.ceil((FORK_MIN_DURATION_MS * 1000) / Math.max(1, keys)));
  try {
    await redis.config("SET", "rdb-key-save-delay", String(delayUs));
    return delayUs;
  } catch {
    return "n/a";
  }
}

async function startFork(redis: Redis, aof: boolean): Promise<void> {
  try {
    await (aof ? redis.bgrewriteaof() : redis.bgsave());
  } catch (error) {
    // A fork started in between (a save point firing) is as good a fork.
    if (!/already in progress/.test((error as Error).message)) throw error;
  }
}

async function waitUntilNoFork(redis: Redis): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await forkRunning(redis)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

async function forkRunning(redis: Redis): Promise<boolean> {
  const info = parseInfo(await redis.info("persistence"));
  return info.get("rdb_bgsave_in_progress") === "1" || info.get("aof_rewrite_in_progress") === "1";
}

// The kernel's kill and Docker's record of it take a moment after the connection breaks: wait while a fork runs or Redis does not answer.
async function exitedOrRunning(node: StartedRedisNode): Promise<ContainerState> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (;;) {
    const state = await node.state();
    if (!state.running || Date.now() > deadline) return state;
    if (await node.withClient(forkRunning, 2_000).catch(() => true)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    return state;
  }
}
