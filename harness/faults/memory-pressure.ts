import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { formatBytes } from "../gate/redis-memory.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import type { Fault } from "./fault.js";
import { deleteKeys, evictedKeys, usedMemory, writeFiller } from "./memory-fill.js";
import { memoryPressureProof } from "./memory-proofs.js";
import { errorReplies } from "./redis-waits.js";

/** How far above the memory in use the fault puts `maxmemory`: small, so that a few seconds of writes go past it. */
export const MEMORY_PRESSURE_HEADROOM_BYTES = 4 * 1024 ** 2;

/** How much the fault writes itself once the limit is set, well past the headroom. */
export const MEMORY_PRESSURE_FILLER_BYTES = 16 * 1024 ** 2;

/** How long the writers go on against the full memory before the fault ends, in ms. */
export const MEMORY_PRESSURE_HOLD_MS = 1_000;

/** The measurement that carries INFO stats evicted_keys over the run, for the evicted-only contract. */
export const EVICTED_KEYS_MEASUREMENT = "evictedKeys";

const FILLER_PREFIX = "memory-pressure:filler:";
const FILLER_VALUE_BYTES = 16 * 1024;
// Long enough never to expire during a run; a TTL at all makes the filler evictable under volatile-*.
const FILLER_TTL_SECONDS = 3_600;

/** How the fault runs: the config's policy or a given one, and whether the config must set a limit itself. */
export interface MemoryPressureOptions {
  /** Runs under this `maxmemory-policy` instead of the config's (CONFIG SET for the run, restored after). */
  policy?: string;
  /** With `maxmemory 0` in the config (no limit) the fault is not applicable: Redis never evicts nor refuses a write for memory. */
  requireConfiguredLimit?: boolean;
}

interface Before {
  maxmemory: string;
  policy: string;
  runPolicy: string;
  evicted: number;
  oom: number;
  fillerRefused: number;
}

/**
 * The evictions that can have hit the writers' keys: INFO evicted_keys counts the fault's own filler
 * too, and filler written but neither refused nor found afterwards was evicted. Without this, that
 * many writer keys could go missing for another reason and still pass as evicted. Pure.
 */
export function evictionsBesidesFiller(evictedTotal: number, filler: { written: number; refused: number; removed: number }): number {
  const fillerEvicted = Math.max(0, filler.written - filler.refused - filler.removed);
  return Math.max(0, evictedTotal - fillerEvicted);
}

const FILLER_KEYS = Math.ceil(MEMORY_PRESSURE_FILLER_BYTES / FILLER_VALUE_BYTES);

const before = new WeakMap<StartedRedisNode, Before>();

/**
 * Memory fills up with no fault at all: `maxmemory` is lowered to what is in use plus
 * MEMORY_PRESSURE_HEADROOM_BYTES (a configured 1gb would take minutes to fill; the policy is what
 * matters), the fault writes MEMORY_PRESSURE_FILLER_BYTES of its own keys with a TTL and the writers
 * go on for MEMORY_PRESSURE_HOLD_MS. Then the limit is restored, the filler removed, and the read
 * back sees what eviction left. Measures evicted_keys and OOM errors over the run.
 */
export function memoryPressure(options: MemoryPressureOptions = {}): Fault<string> {
  const forced = options.policy;
  return {
    name: forced ? `memory-pressure-${forced}` : "memory-pressure",
    description:
      `maxmemory lowered to the memory in use + ${formatBytes(MEMORY_PRESSURE_HEADROOM_BYTES)}${forced ? ` under maxmemory-policy ${forced}` : " under the config's maxmemory-policy"}, ` +
      `${formatBytes(MEMORY_PRESSURE_FILLER_BYTES)} written past it and ${MEMORY_PRESSURE_HOLD_MS} ms of writes, then the limit restored (no restart)`,
    async inject(node, ctx) {
      await node.withClient(async (redis) => {
        const maxmemory = await configGet(redis, "maxmemory");
        const policy = await configGet(redis, "maxmemory-policy");
        if (options.requireConfiguredLimit && Number(maxmemory) === 0) {
          ctx.notApplicable?.("`maxmemory 0` (the default): no limit, so Redis never evicts nor refuses a write for memory (the container's own limit is what fork-under-memory-limit is about)");
          return;
        }
        const runPolicy = forced ?? policy;
        const was: Before = { maxmemory, policy, runPolicy, evicted: await evictedKeys(redis), oom: await errorReplies(redis, "OOM"), fillerRefused: 0 };
        before.set(node, was);
        if (forced) await redis.config("SET", "maxmemory-policy", forced);
        const used = await usedMemory(redis);
        const limit = Number(maxmemory) > 0 ? Math.min(Number(maxmemory), used + MEMORY_PRESSURE_HEADROOM_BYTES) : used + MEMORY_PRESSURE_HEADROOM_BYTES;
        await redis.config("SET", "maxmemory", String(limit));
        ctx.measure?.("maxmemoryPolicy", runPolicy);
        ctx.measure?.("maxmemoryConfigured", Number(maxmemory));
        ctx.measure?.("maxmemoryDuringFault", limit);
        was.fillerRefused = await writeFiller(redis, FILLER_PREFIX, MEMORY_PRESSURE_FILLER_BYTES, FILLER_VALUE_BYTES, FILLER_TTL_SECONDS);
        ctx.measure?.("fillerRefused", was.fillerRefused);
        await sleep(MEMORY_PRESSURE_HOLD_MS);
      }, 60_000);
    },
    // Runs once the writers have stopped: every eviction of the run is counted, none happens during the read back.
    async heal(node, ctx) {
      const was = before.get(node);
      if (!was) return { node, recoveryMs: 0 };
      before.delete(node);
      await node.withClient(async (redis) => {
        const evicted = (await evictedKeys(redis)) - was.evicted;
        const oom = (await errorReplies(redis, "OOM")) - was.oom;
        await redis.config("SET", "maxmemory", was.maxmemory);
        await redis.config("SET", "maxmemory-policy", was.policy);
        // The filler is the fault's own: left in place it would count as keys nobody wrote.
        const fillerRemoved = await deleteKeys(redis, FILLER_PREFIX);
        ctx.measure?.("evictedKeysAll", evicted);
        ctx.measure?.(EVICTED_KEYS_MEASUREMENT, evictionsBesidesFiller(evicted, { written: FILLER_KEYS, refused: was.fillerRefused, removed: fillerRemoved }));
        ctx.measure?.("oomErrors", oom);
        ctx.prove?.(memoryPressureProof(was.runPolicy, evicted, oom));
      }, 60_000);
      return { node, recoveryMs: 0 };
    },
  };
}

async function configGet(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.call("CONFIG", "GET", name)) as string[];
  const value = reply[1];
  if (value === undefined) throw new Error(`CONFIG GET ${name} returned nothing`);
  return value;
}
