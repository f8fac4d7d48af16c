import { setTimeout as sleep } from "node:timers/promises";
import type { ReplicaCopy } from "../checkers/replica-convergence.js";
import type { History } from "../workload/history.js";
import { readBack } from "../workload/readback.js";
import type { StartedSentinelGroup } from "./sentinel-group.js";

/** How long a replica may take to reach the primary's replication offset once the writers stopped, in ms. */
export const CATCH_UP_DEADLINE_MS = 15_000;

const POLL_MS = 100;

/**
 * Each replica's copy of the workload's records, read once it replicates from `primaryIp` with its
 * link up and has processed the primary's replication stream up to the offset the primary reported
 * when this was called (the writers have stopped, so nothing after it is the workload's). A node
 * that replicates from another node, or is a primary itself, has not caught up with this one
 * whatever its offset; one that does not get there in time is given without a copy.
 */
export async function replicaCopies(group: StartedSentinelGroup, primaryIp: string, keyPrefix: string, history: History): Promise<ReplicaCopy[]> {
  const primary = group.nodeAt(primaryIp).node;
  const target = Number((await primary.info("replication")).get("master_repl_offset"));
  const copies: ReplicaCopy[] = [];
  for (const { ip, node } of group.nodes.filter((n) => n.ip !== primaryIp)) {
    const startedAtMs = Date.now();
    let seen: ReplicaState = { caughtUp: false, what: "no INFO replication answer" };
    for (;;) {
      seen = replicaState(await node.info("replication").catch(() => undefined), primaryIp, target);
      if (seen.caughtUp || Date.now() - startedAtMs > CATCH_UP_DEADLINE_MS) break;
      await sleep(POLL_MS);
    }
    const offsets = `${seen.what} against the primary's offset ${target}, after ${Date.now() - startedAtMs} ms`;
    copies.push({ ip, offsets, readBack: seen.caughtUp ? await node.withClient((redis) => readBack(redis, keyPrefix, history), 60_000) : undefined });
  }
  return copies;
}

interface ReplicaState {
  caughtUp: boolean;
  what: string;
}

/** Whether a node's INFO replication shows it a replica of `primaryIp`, link up, at `target` or beyond. */
export function replicaState(replication: Map<string, string> | undefined, primaryIp: string, target: number): ReplicaState {
  if (!replication) return { caughtUp: false, what: "no INFO replication answer" };
  const role = replication.get("role");
  if (role !== "slave") return { caughtUp: false, what: `role ${role ?? "unknown"}` };
  const master = replication.get("master_host");
  const link = replication.get("master_link_status");
  const field = replication.get("slave_repl_offset") ?? "";
  const offset = /^\d+$/.test(field) ? Number(field) : Number.NaN;
  const what = `replica of ${master ?? "?"} (link ${link ?? "?"}), replication offset ${Number.isNaN(offset) ? "unknown" : offset}`;
  return { caughtUp: master === primaryIp && link === "up" && offset >= target, what };
}
