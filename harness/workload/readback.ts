import type { Redis } from "ioredis";
import { DATASET_PREFIX } from "./dataset.js";
import type { History } from "./history.js";
import { recordKey } from "./record.js";

/** What was found after recovery: the value (or null) under every key the workload ever invoked. */
export interface ReadBack {
  /** Keyed by `client:seq`. */
  values: Map<string, string | null>;
  /** DBSIZE after recovery: also counts keys the workload did not write (e.g. a preloaded dataset). */
  keysInDatabase: number;
  /**
   * Keys named like the preload (DATASET_PREFIX), counted by name: with it a lost preloaded key and a
   * key nobody wrote cannot cancel out in DBSIZE. Absent where a read-back could not count them.
   */
  datasetKeys?: number;
}

/** The map key of a record in a ReadBack. */
export function readBackKey(client: number, seq: number): string {
  return `${client}:${seq}`;
}

const BATCH = 500;

/** Reads every invoked record back with pipelined MGETs; reading changes nothing. */
export async function readBack(redis: Redis, keyPrefix: string, history: History): Promise<ReadBack> {
  const ids = history.ops.filter((op) => op.type === "invoke").map(({ client, seq }) => ({ client, seq }));
  const values = new Map<string, string | null>();
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const found = await redis.mget(batch.map((id) => recordKey(keyPrefix, id)));
    batch.forEach((id, i) => values.set(readBackKey(id.client, id.seq), found[i] ?? null));
  }
  return { values, keysInDatabase: await redis.dbsize(), datasetKeys: await countKeys(redis, `${DATASET_PREFIX}*`) };
}

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 5_000);
    cursor = next;
    count += keys.length;
  } while (cursor !== "0");
  return count;
}
