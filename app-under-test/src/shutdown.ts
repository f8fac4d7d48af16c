import type { Server } from "node:http";
import type { Redis } from "ioredis";
import { log } from "./log.js";

const REDIS_QUIT_MS = 2_000;

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish (at most
 * `drainMs`), close keep-alive connections, close the Redis connection, exit 0.
 */
export function drainOnSignals(server: Server, redis: Redis, drainMs: number): void {
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;
  server.on("request", (_req, res) => {
    inFlight++;
    // Tell keep-alive clients to go elsewhere once this response is done.
    if (draining) res.setHeader("connection", "close");
    res.on("close", () => {
      inFlight--;
      if (inFlight === 0) onIdle?.();
    });
  });

  const shutdown = async (signal: string): Promise<void> => {
    if (draining) return;
    draining = true;
    log("info", `${signal}: draining ${inFlight} in-flight requests`, { drainMs });
    server.close();
    server.closeIdleConnections();
    const drained = await new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      const timer = setTimeout(() => resolve(false), drainMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    server.closeAllConnections();
    await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, REDIS_QUIT_MS))]);
    redis.disconnect();
    log("info", drained ? "drained; exiting" : `drain took longer than ${drainMs} ms; closed ${inFlight} requests; exiting`);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
