import { parseInfo } from "../runtime/redis-client.js";
import type { StartedSentinelGroup } from "./sentinel-group.js";

/** The group at rest: one primary every Sentinel names, every other node its replica with the link up. */
export interface Settled {
  primaryIp: string;
  /** How long it took to get there, in ms. */
  waitedMs: number;
}

const POLL_MS = 100;

/**
 * Waits until every Sentinel names the same primary and every other data node replicates from it
 * with its link up; with `sentinelsSeeReplicas` (before a fault: a failover needs it) also until
 * every Sentinel knows the two other Sentinels and both replicas, neither flagged down.
 * Throws, saying what was last seen, when that does not happen within `timeoutMs`.
 */
export async function waitUntilSettled(group: StartedSentinelGroup, timeoutMs: number, sentinelsSeeReplicas = true): Promise<Settled> {
  const startedAtMs = Date.now();
  let seen = "nothing yet";
  for (;;) {
    seen = await unsettledReason(group, sentinelsSeeReplicas).catch((error: unknown) => `a node did not answer: ${String(error)}`);
    if (seen.startsWith("settled:")) return { primaryIp: seen.slice("settled:".length), waitedMs: Date.now() - startedAtMs };
    if (Date.now() - startedAtMs > timeoutMs) throw new Error(`the group did not settle within ${timeoutMs} ms: ${seen}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// "settled:<primary ip>", or what is not settled yet.
async function unsettledReason(group: StartedSentinelGroup, sentinelsSeeReplicas: boolean): Promise<string> {
  const named = await Promise.all(group.sentinels.map((s) => s.primaryIp()));
  const primaryIp = named[0] ?? "";
  if (named.some((ip) => ip !== primaryIp)) return `the Sentinels name different primaries: ${named.join(", ")}`;
  for (const sentinel of sentinelsSeeReplicas ? group.sentinels : []) {
    const state = await sentinel.masterState();
    if (state.get("num-other-sentinels") !== String(group.sentinels.length - 1)) return `Sentinel ${sentinel.ip} knows ${state.get("num-other-sentinels")} other Sentinels`;
    const replicas = await sentinel.replicas();
    // Known and reachable is what a failover needs; the replica's own INFO (below) says whether it has synced,
    // Sentinel's copy of that lags by up to its 10 s replica INFO period.
    const healthy = replicas.filter((r) => !/s_down|disconnected/.test(r.get("flags") ?? ""));
    if (healthy.length < group.nodes.length - 1) return `Sentinel ${sentinel.ip} sees ${healthy.length} healthy replicas (${replicas.map((r) => `${r.get("ip")} ${r.get("flags")}`).join("; ")})`;
  }
  for (const { ip, node } of group.nodes) {
    const info = parseInfo(await node.withClient((redis) => redis.info("replication"), 2_000));
    if (ip === primaryIp) {
      if (info.get("role") !== "master") return `${ip}, the primary the Sentinels name, reports role ${info.get("role")}`;
    } else if (info.get("role") !== "slave" || info.get("master_host") !== primaryIp || info.get("master_link_status") !== "up") {
      return `${ip} is not yet a replica of ${primaryIp} with its link up (role ${info.get("role")}, master ${info.get("master_host")}, link ${info.get("master_link_status")})`;
    }
  }
  return `settled:${primaryIp}`;
}
