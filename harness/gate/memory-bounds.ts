import type { ConfExplanation, LossBound } from "./explain-conf.js";
import { evictionScope, formatBytes, limitsMemory } from "./redis-memory.js";

/** What the gate knows of memory: the config's `maxmemory` and policy, and the container's limit. */
export interface MemoryFacts {
  /** Bytes; 0 is no limit. */
  maxmemoryBytes: number;
  policy: string;
  /** The deployment's memory limit on the container, when it sets one. */
  limit?: { bytes: number; text: string };
}

/**
 * Redis's documented worst case under a memory fault, or undefined for a fault that is not one:
 * memory pressure loses what the policy evicts (any key under allkeys-*; nothing acknowledged under
 * noeviction or, for keys without a TTL, volatile-*); a fork past the container's limit is an OOM
 * kill, a crash, unless `maxmemory` keeps even a doubled dataset within the limit. Pure.
 */
export function memoryFaultBound(fault: string, explanation: ConfExplanation, memory: MemoryFacts): LossBound | undefined {
  if (fault === "fork-under-memory-limit") return forkBound(explanation, memory);
  if (!fault.startsWith("memory-pressure")) return undefined;
  const forced = /^memory-pressure-(.+)$/.exec(fault)?.[1];
  const policy = forced ?? memory.policy;
  if (forced === undefined && !limitsMemory(memory.maxmemoryBytes)) {
    return { maxMs: 0, text: "nothing: `maxmemory 0` sets no limit, so Redis never evicts nor refuses a write for memory (the container's own limit is fork-under-memory-limit's)" };
  }
  switch (evictionScope(policy)) {
    case "allkeys":
      return { maxMs: null, text: `any key, acknowledged writes included, as soon as memory reaches maxmemory: \`maxmemory-policy ${policy}\` evicts them with no fault at all` };
    case "volatile":
      return { maxMs: 0, text: `nothing without a TTL: \`maxmemory-policy ${policy}\` evicts only keys with a TTL, and refuses writes with OOM once none is left` };
    case "none":
      return { maxMs: 0, text: "nothing acknowledged: `maxmemory-policy noeviction` refuses writes past maxmemory with OOM errors" };
  }
}

function forkBound(explanation: ConfExplanation, memory: MemoryFacts): LossBound {
  if (!memory.limit) return { maxMs: 0, text: "nothing from the container's own limit: the deployment sets none (the host's OOM killer is another matter)" };
  const limit = `${formatBytes(memory.limit.bytes)} (${memory.limit.text})`;
  if (memory.maxmemoryBytes > 0 && memory.maxmemoryBytes * 2 <= memory.limit.bytes) {
    return { maxMs: 0, text: `nothing: maxmemory ${formatBytes(memory.maxmemoryBytes)} is at most half the memory limit ${limit}, so even a fork that copies every page fits` };
  }
  const { plusSaves } = explanation.processCrash;
  return {
    maxMs: explanation.processCrash.maxMs,
    ...(plusSaves === undefined ? {} : { plusSaves }),
    text: `a BGSAVE or AOF rewrite under writes can take up to twice the memory (redis.io admin docs) and pass the memory limit ${limit}: the OOM killer's SIGKILL is a crash, which loses ${explanation.processCrash.text}`,
  };
}
