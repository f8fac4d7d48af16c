import { Redis } from "ioredis";
import type { NatMap } from "ioredis";
import { SEND_AT_MOST_ONCE } from "../runtime/redis-client.js";
import { MASTER_NAME } from "./sentinel-settings.js";

/** A Sentinel reached from the harness: its published 127.0.0.1 port. */
export interface SentinelEndpoint {
  host: string;
  port: number;
}

// Between reconnection attempts while the group has no primary to offer, in ms: short, so that a
// writer is back within a fraction of the failover, long enough not to spin on a dead port.
const RECONNECT_DELAY_MS = 100;

/**
 * A client that finds the primary through the Sentinels and follows it across a failover, yet
 * never resends a write: no offline queue (a write while disconnected fails at once), no retry of
 * a command, no replay of the commands in flight when the connection broke. Each write is sent at
 * most once, to whichever primary the client was connected to, so the history's ok/fail/info mean
 * what they say. `failoverDetector` drops the connection when a Sentinel announces +switch-master,
 * so a writer leaves a deposed primary that it can still reach (the partition) as soon as the
 * Sentinels have promoted another; a READONLY reply (a deposed primary made a replica) also
 * reconnects, without resending. Sentinel replies name group addresses; `natMap` turns them into
 * the nodes' published ports, the path every single-node cell uses too: the harness needs no route
 * into the group network (there is none from a remote engine's client), and the addresses inside
 * the group stay unmapped, as Sentinel and the replicas know them.
 */
export function sentinelClient(sentinels: SentinelEndpoint[], natMap: NatMap, commandTimeoutMs: number): Redis {
  const client = new Redis({
    sentinels,
    name: MASTER_NAME,
    natMap,
    updateSentinels: false,
    failoverDetector: true,
    ...SEND_AT_MOST_ONCE,
    retryStrategy: () => RECONNECT_DELAY_MS,
    sentinelRetryStrategy: () => RECONNECT_DELAY_MS,
    reconnectOnError: (error) => (error.message.startsWith("READONLY") ? 1 : false),
    connectTimeout: 2_000,
    sentinelCommandTimeout: 1_000,
    commandTimeout: commandTimeoutMs,
  });
  // A broken connection already rejects the command in flight, which is where it is recorded.
  client.on("error", () => undefined);
  return client;
}
