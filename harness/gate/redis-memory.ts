/** Which keys a `maxmemory-policy` deletes once memory is full: any key, only keys with a TTL, or none (writes are refused). */
export type EvictionScope = "allkeys" | "volatile" | "none";

/** Redis's default policy (config.c: `maxmemory-policy` defaults to MAXMEMORY_NO_EVICTION). */
export const DEFAULT_MAXMEMORY_POLICY = "noeviction";

/** The policies Redis accepts, by what they evict (redis.conf, MAXMEMORY POLICY; the two `-lrm` ones since Redis 8.6). */
export const MAXMEMORY_POLICIES: Record<string, EvictionScope> = {
  "allkeys-lru": "allkeys",
  "allkeys-lfu": "allkeys",
  "allkeys-lrm": "allkeys",
  "allkeys-random": "allkeys",
  "volatile-lru": "volatile",
  "volatile-lfu": "volatile",
  "volatile-lrm": "volatile",
  "volatile-random": "volatile",
  "volatile-ttl": "volatile",
  noeviction: "none",
};

/**
 * What a policy evicts. A name this table does not know may be a newer release's policy (as `-lrm`
 * was before 8.6), so it counts as evicting: `volatile-*` only keys with a TTL, anything else any key.
 * Counting it as "none" would pass an eviction hazard on an image newer than this table. Pure.
 */
export function evictionScope(policy: string): EvictionScope {
  const name = policy.toLowerCase();
  const known = Object.hasOwn(MAXMEMORY_POLICIES, name) ? MAXMEMORY_POLICIES[name] : undefined;
  return known ?? (name.startsWith("volatile-") ? "volatile" : "allkeys");
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };

/**
 * A memory size as Redis reads it (util.c memtoull): "1gb" is 1024^3, "1g" is 1000^3, "1024b" and
 * "1024" are bytes, units in any case; undefined when Redis would refuse it. No trimming: memtoull
 * skips no whitespace, so Redis refuses " 1gb ". Pure.
 */
export function parseRedisBytes(text: string): number | undefined {
  const match = /^(\d+)([a-z]*)$/i.exec(text);
  const unit = UNITS[(match?.[2] ?? "?").toLowerCase()];
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}

/** Whether a `maxmemory` value sets a limit: an unread one (NaN) counts as set, so no eviction hazard hides behind it. Pure. */
export function limitsMemory(maxmemoryBytes: number): boolean {
  return Number.isNaN(maxmemoryBytes) || maxmemoryBytes > 0;
}

/** "1 GiB", "512 MiB", "4096 bytes": a size for messages; "an unread size" for NaN. Pure. */
export function formatBytes(bytes: number): string {
  if (Number.isNaN(bytes)) return "an unread size";
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
