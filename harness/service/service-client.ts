import http from "node:http";

/** One answer of the service: HTTP status, parsed JSON body, and how long it took (ms). */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
  latencyMs: number;
}

/** A point as the service's API takes it. */
export interface WirePoint {
  timestamp: string;
  value: number;
}

/** Options of a ServiceClient. Times in ms. */
export interface ServiceClientOptions {
  /** A request without an answer by then is abandoned (and its outcome is unknown). */
  timeoutMs?: number;
  /** Connections kept open to the service. */
  maxSockets?: number;
  /** The path GET health() asks. */
  healthPath?: string;
}

/** The body of POST /predict: without points, `historical_data` is an empty list (asks for the stored history alone). */
export function predictBody(seriesId: string, points: WirePoint[] = []): { series_id: string; historical_data: WirePoint[] } {
  return { series_id: seriesId, historical_data: points };
}

/** A keep-alive HTTP client of the prediction service's API, as a user would call it. */
export class ServiceClient {
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly healthPath: string;

  constructor(
    readonly baseUrl: string,
    { timeoutMs = 10_000, maxSockets = 8, healthPath = "/health" }: ServiceClientOptions = {},
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
    this.timeoutMs = timeoutMs;
    this.healthPath = healthPath;
  }

  /** POST /predict: stores `points` (if any) and predicts from the series' stored history. */
  predict(seriesId: string, points?: WirePoint[]): Promise<Reply> {
    return this.request("POST", "/predict", predictBody(seriesId, points));
  }

  /** GET the health path (/health unless told otherwise). */
  health(): Promise<Reply> {
    return this.request("GET", this.healthPath);
  }

  /** POST /events. */
  postEvent(event: { user_id: string; type: string; item_id: string; timestamp: string }): Promise<Reply> {
    return this.request("POST", "/events", event);
  }

  /** GET /users/<id>/model. */
  userModel(userId: string): Promise<Reply> {
    return this.request("GET", `/users/${encodeURIComponent(userId)}/model`);
  }

  /** Sends one request; rejects on a network error or after the timeout, never on an HTTP status. */
  request(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const startedAtMs = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.baseUrl}${path}`,
        { method, agent: this.agent, timeout: this.timeoutMs, headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: Record<string, unknown>;
            try {
              parsed = JSON.parse(text) as Record<string, unknown>;
            } catch {
              parsed = { unparsed: text };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, latencyMs: performance.now() - startedAtMs });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} got no answer within ${this.timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
