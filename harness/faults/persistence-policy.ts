import type { StartedRedisNode } from "../runtime/redis-node.js";

/** The running server's own answer on how it persists: AOF on or off, its fsync policy, its save points. */
export type PersistencePolicy = { known: true; appendonly: boolean; appendfsync: string; save: string } | { known: false; why: string };

/** Asks the running server (CONFIG GET) how it persists. */
export async function askPersistencePolicy(node: StartedRedisNode): Promise<PersistencePolicy> {
  try {
    return await node.withClient(async (redis) => {
      const get = async (name: string) => ((await redis.call("CONFIG", "GET", name)) as string[])[1];
      const [appendonly, appendfsync, save] = [await get("appendonly"), await get("appendfsync"), await get("save")];
      if (appendonly === undefined || appendfsync === undefined || save === undefined) return { known: false, why: "CONFIG GET returned nothing" };
      return { known: true, appendonly: appendonly === "yes", appendfsync, save };
    }, 2_000);
  } catch (error) {
    return { known: false, why: `CONFIG GET failed: ${(error as Error).message}` };
  }
}

type Known = Extract<PersistencePolicy, { known: true }>;

/** Whether an AOF under this policy leaves written bytes unsynced between fsyncs (everysec, no). */
export function aofHoldsUnsyncedWrites(policy: Known): boolean {
  return policy.appendonly && policy.appendfsync !== "always";
}

/** Whether the server writes anything to its data dir by itself (an AOF, or save points). */
export function persistsAnything(policy: Known): boolean {
  return policy.appendonly || policy.save.trim() !== "";
}

/** The policy in a few words, for the report. */
export function describePolicy(policy: Known): string {
  return `${policy.appendonly ? `appendfsync ${policy.appendfsync}` : "appendonly no"}, save "${policy.save}"`;
}
