import { Redis } from "ioredis";
import type { RedisOptions } from "ioredis";

/** Timeouts of a client connection, in ms. */
export interface ClientTimeouts {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** The options that make a write sent at most once: no offline queue, no retry of a command, no replay of the commands in flight when a connection breaks. */
export const SEND_AT_MOST_ONCE = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
} as const satisfies RedisOptions;

/**
 * A client that never retries or replays: every command either gets its own reply or fails,
 * so "acknowledged" in a history means exactly "this write was replied to".
 */
export function connectOnce(port: number, { connectTimeoutMs, commandTimeoutMs }: ClientTimeouts): Redis {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    ...SEND_AT_MOST_ONCE,
    enableReadyCheck: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
  });
  // A broken connection already rejects the command in flight, which is where it is recorded.
  client.on("error", () => undefined);
  return client;
}

/** Parses an INFO reply into field -> value. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const cut = line.indexOf(":");
    if (cut > 0 && !line.startsWith("#")) fields.set(line.slice(0, cut), line.slice(cut + 1).trim());
  }
  return fields;
}

/** The server as INFO server names it, e.g. "7.0.15" or "valkey 8.1.1" (Valkey reports redis_version 7.2.4 for compatibility). */
export function serverVersionOf(info: Map<string, string>): string {
  const valkey = info.get("valkey_version");
  return valkey ? `valkey ${valkey}` : (info.get("redis_version") ?? "unknown");
}
