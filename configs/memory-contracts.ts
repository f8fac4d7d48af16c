import { readFileSync } from "node:fs";
import { effectiveConf } from "../harness/gate/effective-conf.js";
import { parseConf } from "../harness/gate/parse-conf.js";
import { evictionScope } from "../harness/gate/redis-memory.js";
import { EVICTED_KEYS_MEASUREMENT } from "../harness/faults/memory-pressure.js";
import type { ModeSpec, SourcedContract } from "./modes.js";

const cite = {
  allkeys:
    "redis.conf MAXMEMORY POLICY: allkeys-lru / allkeys-lfu / allkeys-random \"evict any key\" once maxmemory is reached (evict.c performEvictions deletes keys until used memory is under the limit, counting them in INFO stats evicted_keys): acknowledged writes may go, no more than the keys evicted",
  volatile:
    "redis.conf MAXMEMORY POLICY: volatile-* evicts \"only keys with an expire set\"; \"when there are no suitable keys for eviction, Redis will return an error on write operations that require more memory\": the writers' keys have no TTL, so none of them is lost and writes past the limit are refused with OOM",
  noeviction:
    "redis.conf MAXMEMORY POLICY: noeviction \"Don't evict anything, just return an error on write operations\" (the default, config.c): nothing acknowledged is lost, writes past the limit are refused with OOM",
  oomKill:
    "the kernel's OOM killer ends a process with SIGKILL (Docker: exit code 137, OOMKilled true): a crash, whose loss is the mode's SIGKILL contract; redis.io admin docs: a BGSAVE or AOF rewrite under writes \"can use up to 2 times the memory normally used\"",
} as const;

/** The contract of memory pressure under a `maxmemory-policy`: allkeys-* may lose what it evicts, volatile-* and noeviction lose nothing acknowledged. */
export function memoryPressureContract(policy: string): SourcedContract {
  switch (evictionScope(policy)) {
    case "allkeys":
      return { contract: { kind: "evicted-only", measurement: EVICTED_KEYS_MEASUREMENT }, source: cite.allkeys };
    case "volatile":
      return { contract: { kind: "none-lost" }, source: cite.volatile };
    case "none":
      return { contract: { kind: "none-lost" }, source: cite.noeviction };
  }
}

/** The contract of a mode under a memory fault, or undefined for a fault that is not one. */
export function memoryFaultContract(mode: ModeSpec, faultName: string): SourcedContract | undefined {
  if (faultName === "fork-under-memory-limit") return { contract: mode.contracts.sigkill.contract, source: `${cite.oomKill}; ${mode.contracts.sigkill.source}` };
  if (faultName === "memory-pressure") return memoryPressureContract(effectiveConf(parseConf(readFileSync(mode.configFile, "utf8"))).maxmemoryPolicy.value);
  const forced = /^memory-pressure-(.+)$/.exec(faultName)?.[1];
  return forced === undefined ? undefined : memoryPressureContract(forced);
}
