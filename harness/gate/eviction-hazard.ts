import type { EffectiveConf } from "./effective-conf.js";
import type { ConfExplanation } from "./explain-conf.js";
import type { Hazard } from "./hazards.js";
import { evictionScope, formatBytes, limitsMemory } from "./redis-memory.js";

/**
 * The hazard of a `maxmemory` with an evicting policy: once memory is full Redis deletes keys to
 * make room, acknowledged writes included, with no fault at all (redis.conf MAXMEMORY POLICY;
 * evict.c performEvictions). `allkeys-*` may delete any key: a danger no loss bound survives, so it
 * fails the gate. `volatile-*` deletes only keys with a TTL (writes to keys without one are refused
 * with OOM once none is left): data the application marked as disposable, so a warning.
 * `noeviction` (the default) refuses writes instead: the client sees an error, nothing acknowledged
 * is lost, no hazard. `maxmemory 0` (the default) never evicts. Pure.
 */
export function evictionHazard(conf: EffectiveConf): Hazard | undefined {
  const limit = conf.maxmemory.value;
  const policy = conf.maxmemoryPolicy.value;
  const scope = evictionScope(policy);
  if (!limitsMemory(limit) || scope === "none") return undefined;
  const setting = `\`maxmemory ${formatBytes(limit)}\` with \`maxmemory-policy ${policy}\``;
  const line = conf.maxmemoryPolicy.line ?? conf.maxmemory.line;
  const hazard: Hazard =
    scope === "allkeys"
      ? {
          id: "maxmemory-evicts-any-key",
          kind: "durability",
          severity: "danger",
          message: `${setting}: once memory is full Redis deletes keys to make room, any key, acknowledged writes included, with no fault at all (INFO stats evicted_keys counts them)`,
          fix: "set `maxmemory-policy noeviction` (writes past the limit get an OOM error instead, and nothing acknowledged is deleted), or keep this policy only for a cache whose data can be rebuilt",
          failsGate: true,
        }
      : {
          id: "maxmemory-evicts-ttl-keys",
          kind: "durability",
          severity: "warning",
          message: `${setting}: once memory is full Redis deletes keys that have a TTL before they expire; writes are refused with OOM errors once none is left (keys without a TTL are never evicted)`,
          fix: "make sure nothing that must survive is written with a TTL, or set `maxmemory-policy noeviction`",
          failsGate: false,
        };
  return line === undefined ? hazard : { ...hazard, line };
}

/**
 * The hazard of a container memory limit that a persistence fork can pass: with no `maxmemory`,
 * or one above half the limit, a BGSAVE or AOF rewrite under writes "can use up to 2 times the
 * memory normally used" (redis.io admin docs) and the kernel OOM-kills Redis, a crash. A warning:
 * the crash is what the config's crash bound already covers, and fork-under-memory-limit measures it. Pure.
 */
export function forkHeadroomHazard(conf: EffectiveConf, explanation: ConfExplanation, limit: { bytes: number; text: string } | undefined): Hazard | undefined {
  if (!limit || explanation.mode === "none") return undefined;
  const maxmemory = conf.maxmemory.value;
  if (maxmemory > 0 && maxmemory * 2 <= limit.bytes) return undefined;
  const what = maxmemory > 0 ? `\`maxmemory ${formatBytes(maxmemory)}\` is more than half` : "no `maxmemory` bounds the dataset below half";
  const hazard: Hazard = {
    id: "fork-may-pass-memory-limit",
    kind: "durability",
    severity: "warning",
    message: `${what} of the container's memory limit ${formatBytes(limit.bytes)} (${limit.text}): a BGSAVE or AOF rewrite under writes can take up to twice the memory, and the kernel then OOM-kills Redis (a crash)`,
    fix: `set \`maxmemory\` to at most half the limit (${formatBytes(Math.floor(limit.bytes / 2))}), or raise the limit`,
    failsGate: false,
  };
  return conf.maxmemory.line === undefined ? hazard : { ...hazard, line: conf.maxmemory.line };
}
