import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { parseInfo } from "../runtime/redis-client.js";

const PIPELINE = 32;
const SCAN_COUNT = 1_000;

/** Redis's own figure of the memory it uses (INFO memory used_memory), in bytes: what `maxmemory` is held against. */
export async function usedMemory(redis: Redis): Promise<number> {
  return Number(parseInfo(await redis.info("memory")).get("used_memory") ?? 0);
}

/** How many keys Redis has evicted since it started (INFO stats evicted_keys). */
export async function evictedKeys(redis: Redis): Promise<number> {
  return Number(parseInfo(await redis.info("stats")).get("evicted_keys") ?? 0);
}

/**
 * Writes `bytes` of random (incompressible) values under `prefix`, `valueBytes` each, with a TTL
 * of `ttlSeconds` so that a volatile-* policy has keys it may evict; resolves with how many SETs
 * Redis refused (OOM once memory is full under noeviction, or when nothing is left to evict).
 */
export async function writeFiller(redis: Redis, prefix: string, bytes: number, valueBytes: number, ttlSeconds: number): Promise<number> {
  const value = randomBytes(valueBytes);
  const keys = Math.ceil(bytes / valueBytes);
  let refused = 0;
  for (let start = 0; start < keys; start += PIPELINE) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(keys, start + PIPELINE); i++) pipeline.set(`${prefix}${i}`, value, "EX", ttlSeconds);
    const results = (await pipeline.exec()) ?? [];
    refused += results.filter(([error]) => error !== null).length;
  }
  return refused;
}

/** Removes every key under `prefix` (SCAN, then UNLINK: neither is refused when memory is full); resolves with how many went. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", SCAN_COUNT);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  return removed;
}

const FILL_VALUE_CHARS = 4096;
const FILL_KEYS_PER_SCRIPT = 2_000;
// Server-side loop, one round trip per 2k keys (8 MiB): fast enough to fill hundreds of MiB in seconds.
const FILL_SCRIPT = "for i = 0, tonumber(ARGV[1]) - 1 do redis.call('SET', KEYS[1] .. (tonumber(ARGV[3]) + i), ARGV[2]) end return 1";

function fillValue(): string {
  return randomBytes((FILL_VALUE_CHARS * 3) / 4).toString("base64");
}

/** Writes 4 KiB random values under `prefix` until Redis uses at least `targetBytes` (used_memory); resolves with the keys written. */
export async function fillUntil(redis: Redis, prefix: string, targetBytes: number): Promise<number> {
  const value = fillValue();
  let keys = 0;
  while ((await usedMemory(redis)) < targetBytes) {
    await redis.eval(FILL_SCRIPT, 1, prefix, FILL_KEYS_PER_SCRIPT, value, keys);
    keys += FILL_KEYS_PER_SCRIPT;
  }
  return keys;
}

/**
 * Writes every one of the `keys` fill keys under `prefix` again with a new value: each page the
 * old values sit on stays with a fork that still reads them while the new values take new pages.
 * Stops early when `keepGoing` says so (checked between round trips).
 */
export async function overwriteFill(redis: Redis, prefix: string, keys: number, keepGoing: () => Promise<boolean>): Promise<void> {
  const value = fillValue();
  for (let offset = 0; offset < keys; offset += FILL_KEYS_PER_SCRIPT) {
    if (!(await keepGoing())) return;
    await redis.eval(FILL_SCRIPT, 1, prefix, Math.min(FILL_KEYS_PER_SCRIPT, keys - offset), value, offset);
  }
}
