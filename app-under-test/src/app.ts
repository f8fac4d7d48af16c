import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import type { ServiceConfig } from "./config.js";
import { appendEvent, serveModel } from "./event-store.js";
import type { EventStoreSettings } from "./event-store.js";
import { HttpError, readJsonBody, sendJson } from "./http-io.js";
import { log } from "./log.js";
import { predictNext } from "./model.js";
import { isRedisUnavailable } from "./redis-errors.js";
import { storeAndReadSeries } from "./series-store.js";
import { InvalidInput, parseIdentifier, parsePredictRequest, parseUserEvent } from "./validation.js";

/** What the request handler needs: the Redis connection, the configuration and a clock (epoch ms). */
export interface AppDeps {
  redis: Redis;
  config: ServiceConfig;
  nowMs: () => number;
}

type Route = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>;

const USER_MODEL_PATH = /^\/users\/([^/]+)\/model$/;

/** The HTTP handler of the prediction service: routes, input checks, and errors mapped to 400/404/503/500. */
export function createApp(deps: AppDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { redis, config } = deps;
  const eventSettings: EventStoreSettings = { windowMs: config.eventWindowMs, bufferMax: config.eventBufferMax, modelTtlMs: config.modelTtlMs };

  const health: Route = async (_req, res) => {
    const connected = redis.status === "ready" && (await redis.ping().then(() => true, () => false));
    sendJson(res, connected ? 200 : 503, { status: connected ? "ok" : "unavailable", redis_connected: connected, model_loaded: true });
  };

  const predict: Route = async (req, res) => {
    const request = parsePredictRequest(await readJsonBody(req, config.maxBodyBytes), config.maxPointsPerRequest);
    const points = await storeAndReadSeries(redis, request.seriesId, request.points, config.historyLimit);
    if (points.length === 0) {
      throw new HttpError(404, `series "${request.seriesId}" has no history; send historical_data with at least one point`, "series_id");
    }
    sendJson(res, 200, { series_id: request.seriesId, prediction: predictNext(points), data_points_used: points.length, redis_connected: true });
  };

  const events: Route = async (req, res) => {
    const event = parseUserEvent(await readJsonBody(req, config.maxBodyBytes));
    const nowMs = deps.nowMs();
    if (event.timestampMs < nowMs - config.eventWindowMs) {
      throw new InvalidInput("timestamp", `${new Date(event.timestampMs).toISOString()} is older than the event window (EVENT_WINDOW_MS=${config.eventWindowMs}) and would be pruned at once`);
    }
    const buffered = await appendEvent(redis, event, eventSettings, nowMs);
    sendJson(res, 200, { user_id: event.userId, buffered_events: buffered, redis_connected: true });
  };

  const userModel: Route = async (_req, res, [rawId]) => {
    const userId = parseIdentifier(decodeURIComponent(rawId ?? ""), "user_id");
    const served = await serveModel(redis, userId, eventSettings, deps.nowMs());
    if (!served) throw new HttpError(404, `user "${userId}" has no events in the window; POST /events first`, "user_id");
    sendJson(res, 200, { ...served.model, source: served.source, ttl_ms: served.ttlMs, redis_connected: true });
  };

  const routes: { method: string; path: string | RegExp; route: Route }[] = [
    { method: "GET", path: "/health", route: health },
    { method: "POST", path: "/predict", route: predict },
    { method: "POST", path: "/events", route: events },
    { method: "GET", path: USER_MODEL_PATH, route: userModel },
  ];

  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://service").pathname;
    const matching = routes.flatMap((r) => {
      const params = typeof r.path === "string" ? (r.path === path ? [] : undefined) : r.path.exec(path)?.slice(1);
      return params ? [{ ...r, params }] : [];
    });
    const found = matching.find((r) => r.method === req.method);
    try {
      if (!found) {
        if (matching.length > 0) throw new HttpError(405, `${req.method} is not allowed on ${path}; use ${matching.map((r) => r.method).join(", ")}`);
        throw new HttpError(404, `no route ${req.method} ${path}; routes: GET /health, POST /predict, POST /events, GET /users/<user_id>/model`);
      }
      await found.route(req, res, found.params);
    } catch (error) {
      sendError(res, error, `${req.method} ${path}`);
    }
  };
}

function sendError(res: ServerResponse, error: unknown, what: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof InvalidInput) return sendJson(res, 400, { error: error.message, field: error.field });
  if (error instanceof HttpError) {
    // A body that was not read to the end cannot be followed by another request on this connection.
    if (error.status === 413) res.setHeader("connection", "close");
    return sendJson(res, error.status, { error: error.message, ...(error.field ? { field: error.field } : {}) });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isRedisUnavailable(error)) return sendJson(res, 503, { error: `Redis unavailable (${message}); retry later`, redis_connected: false });
  log("error", `${what} failed`, { error: message });
  sendJson(res, 500, { error: `internal error (${message})` });
}
