import { createServer } from "node:http";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { log } from "./log.js";
import { connectRedis } from "./redis-connection.js";
import { drainOnSignals } from "./shutdown.js";

// The entry point of the prediction service: `node server.cjs` in the image, `tsx` in development.
const config = loadConfig(process.env);
const redis = connectRedis(config.redis, { commandTimeoutMs: config.redisCommandTimeoutMs, connectTimeoutMs: config.redisConnectTimeoutMs });
const handle = createApp({ redis, config, nowMs: Date.now });
const server = createServer((req, res) => void handle(req, res));
drainOnSignals(server, redis, config.shutdownDrainMs);
server.listen(config.port, config.host, () => {
  log("info", "prediction service listening", { host: config.host, port: config.port, node: process.version, historyLimit: config.historyLimit, modelTtlMs: config.modelTtlMs });
});
