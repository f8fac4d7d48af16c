import { Redis } from "ioredis";
import type { RedisOptions } from "ioredis";
import type { RedisTarget } from "./config.js";
import { log } from "./log.js";

/** Reconnect backoff: 100 ms, 200 ms, ... capped here, so a returning Redis is noticed within half a second. */
const RECONNECT_MAX_MS = 500;

/** How long the connection waits, in ms. */
export interface RedisTimeouts {
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * The service's one Redis connection. It never queues or replays: while Redis is unreachable every
 * command fails at once (no offline queue), a command without a reply fails after
 * `commandTimeoutMs`, and one cut off by a dropped connection fails rather than being resent, so a
 * request is answered 200 only for writes Redis replied to. It reconnects forever by itself; a
 * short `connectTimeoutMs` matters there, because an attempt made while the Redis container is
 * down can hang (no host answers the SYN) long after Redis is back.
 */
export function connectRedis(target: RedisTarget, { commandTimeoutMs, connectTimeoutMs }: RedisTimeouts): Redis {
  const options: RedisOptions = {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    enableReadyCheck: true,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_MS),
  };
  const redis = "url" in target ? new Redis(target.url, options) : new Redis({ ...options, host: target.host, port: target.port });
  let lastState = "";
  // Log transitions only: a reconnect loop would otherwise write a line every 500 ms.
  const transition = (state: string, fields: Record<string, unknown> = {}): void => {
    if (state === lastState) return;
    lastState = state;
    log(state === "ready" ? "info" : "warn", `redis ${state}`, fields);
  };
  redis.on("ready", () => transition("ready"));
  redis.on("error", (error: Error) => transition("unreachable", { error: error.message }));
  redis.on("close", () => transition("unreachable"));
  return redis;
}
