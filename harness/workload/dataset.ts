import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** A bulk dataset loaded before a case, so that saving and loading take measurable time. */
export interface Dataset {
  keys: number;
  bytes: number;
}

const VALUE_CHARS = 4096;
// 8 MiB per round trip: small enough that a contract about what an fsync covered can tell which
// part of the preload was acknowledged before it.
const KEYS_PER_SCRIPT = 2_000;
// Server-side loop: one round trip per 2k keys. The value is random (incompressible), so the
// RDB's LZF compression cannot shrink the save.
const FILL_SCRIPT = "for i = 1, tonumber(ARGV[1]) do redis.call('SET', KEYS[1] .. (tonumber(ARGV[3]) + i), ARGV[2]) end return 1";

/** The key prefix of preloaded keys; records written by the workload never start with it. */
export const DATASET_PREFIX = "dataset:";

/** One round trip of the preload: when it was sent and answered (the caller's clock, ms), and the keys loaded so far. */
export interface PreloadBatch {
  invokeAtMs: number;
  okAtMs: number;
  keysSoFar: number;
}

/** Loads about `mib` MiB of string values under DATASET_PREFIX; `onBatch` hears of each acknowledged round trip. */
export async function preloadDataset(redis: Redis, mib: number, onBatch?: (batch: PreloadBatch) => void, nowMs: () => number = Date.now): Promise<Dataset> {
  const value = randomBytes((VALUE_CHARS * 3) / 4).toString("base64");
  const keys = Math.ceil((mib * 1024 * 1024) / VALUE_CHARS);
  for (let offset = 0; offset < keys; offset += KEYS_PER_SCRIPT) {
    const count = Math.min(KEYS_PER_SCRIPT, keys - offset);
    const invokeAtMs = nowMs();
    await redis.eval(FILL_SCRIPT, 1, DATASET_PREFIX, count, value, offset);
    onBatch?.({ invokeAtMs, okAtMs: nowMs(), keysSoFar: offset + count });
  }
  return { keys, bytes: keys * VALUE_CHARS };
}
