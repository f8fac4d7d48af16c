import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** A bulk dataset loaded before a case, so that saving and loading take measurable time. */
export interface Dataset {
  keys: number;
  bytes: number;
}

const VALUE_CHARS = 4096;
const KEYS_PER_SCRIPT = 20_000;
// Server-side loop: one round trip per 20k keys. The value is random (incompressible), so the
// RDB's LZF compression cannot shrink the save.
const FILL_SCRIPT = "for i = 1, tonumber(ARGV[1]) do redis.call('SET', KEYS[1] .. (tonumber(ARGV[3]) + i), ARGV[2]) end return 1";

/** The key prefix of preloaded keys; records written by the workload never start with it. */
export const DATASET_PREFIX = "dataset:";

/** Loads about `mib` MiB of string values under DATASET_PREFIX. */
export async function preloadDataset(redis: Redis, mib: number): Promise<Dataset> {
  const value = randomBytes((VALUE_CHARS * 3) / 4).toString("base64");
  const keys = Math.ceil((mib * 1024 * 1024) / VALUE_CHARS);
  for (let offset = 0; offset < keys; offset += KEYS_PER_SCRIPT) {
    await redis.eval(FILL_SCRIPT, 1, DATASET_PREFIX, Math.min(KEYS_PER_SCRIPT, keys - offset), value, offset);
  }
  return { keys, bytes: keys * VALUE_CHARS };
}
