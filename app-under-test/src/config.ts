/** Where Redis is: a URL, or a host and port. */
export type RedisTarget = { url: string } | { host: string; port: number };

/** Everything the service reads from its environment. Times in ms. */
export interface ServiceConfig {
  redis: RedisTarget;
  host: string;
  port: number;
  /** How many of the most recent points a prediction reads back. */
  historyLimit: number;
  /** How long a materialized user model lives before it is rebuilt from the event buffer. */
  modelTtlMs: number;
  /** Events older than this (by the server clock) are pruned from a user's buffer. */
  eventWindowMs: number;
  /** At most this many events are kept per user; the oldest go first. */
  eventBufferMax: number;
  maxBodyBytes: number;
  maxPointsPerRequest: number;
  /** A Redis command that has no reply by then fails, so no request waits on a dead server. */
  redisCommandTimeoutMs: number;
  /** A connection attempt that has not completed by then is abandoned and retried. */
  redisConnectTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownDrainMs: number;
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from `env`; throws naming the variable that is wrong. */
export function loadConfig(env: Env): ServiceConfig {
  return {
    redis: redisTarget(env),
    host: env.HOST ?? "0.0.0.0",
    port: integer(env, "PORT", 8000, 0, 65_535),
    historyLimit: integer(env, "HISTORY_LIMIT", 100, 1, 100_000),
    modelTtlMs: integer(env, "MODEL_TTL_MS", 3_600_000, 1, 365 * 86_400_000),
    eventWindowMs: integer(env, "EVENT_WINDOW_MS", 7 * 86_400_000, 1, 3_650 * 86_400_000),
    eventBufferMax: integer(env, "EVENT_BUFFER_MAX", 1_000, 1, 1_000_000),
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 1_048_576, 64, 64 * 1_048_576),
    maxPointsPerRequest: integer(env, "MAX_POINTS_PER_REQUEST", 10_000, 1, 1_000_000),
    redisCommandTimeoutMs: integer(env, "REDIS_COMMAND_TIMEOUT_MS", 1_000, 10, 60_000),
    redisConnectTimeoutMs: integer(env, "REDIS_CONNECT_TIMEOUT_MS", 500, 10, 60_000),
    shutdownDrainMs: integer(env, "SHUTDOWN_DRAIN_MS", 10_000, 0, 600_000),
  };
}

function redisTarget(env: Env): RedisTarget {
  if (env.REDIS_URL) {
    if (!/^rediss?:\/\//.test(env.REDIS_URL)) throw new Error(`REDIS_URL=${env.REDIS_URL} is not a redis:// or rediss:// URL; fix it or set REDIS_HOST/REDIS_PORT instead`);
    return { url: env.REDIS_URL };
  }
  return { host: env.REDIS_HOST ?? "127.0.0.1", port: integer(env, "REDIS_PORT", 6379, 1, 65_535) };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is not an integer between ${min} and ${max}; fix it or unset it (default ${fallback})`);
  }
  return value;
}
