import type { ReadBack } from "../workload/readback.js";
import { encodeRecord } from "../workload/record.js";
import { ServiceApiError, countOf, describeReply } from "./api-check.js";
import type { CountAnswer } from "./api-check.js";
import type { Reply, ServiceClient } from "./service-client.js";
import type { ServiceHistory } from "./service-history.js";

/** What the service says it holds for a history's points, asked through its API alone. */
export interface ApiReadBack extends ReadBack {
  /** data_points_used of each series (0: none), as answered. */
  counts: Map<string, number>;
  /** Answers that are not a plain yes or no, e.g. a one-point series counted as 2. */
  anomalies: string[];
}

/** Options of readBackByApi. Times in ms. */
export interface ApiReadBackOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** A series whose answer is a 5xx or no answer is asked again until this long has passed. */
  retryForMs?: number;
}

const RETRY_PAUSE_MS = 100;

/**
 * Asks the service, with POST /predict and no new points, how many points each series of the
 * history holds. Every point write went to a series of its own, so data_points_used 1 (or more)
 * says that very point survived and 404 or 0 that it is gone: the same read-back the Redis
 * workload gets, taken from what a user sees. A count above 1 is kept as a corrupted record (the
 * service counts a point it was never sent). Throws a ServiceApiError with one line when an
 * answer is not the API (a 5xx that outlasts `retryForMs`, a body without data_points_used).
 */
export async function readBackByApi(client: ServiceClient, history: ServiceHistory, { concurrency = 4, retryForMs = 10_000 }: ApiReadBackOptions = {}): Promise<ApiReadBack> {
  const bySeries = new Map<string, string>();
  for (const [id, write] of history.writes()) {
    if (write.kind !== "point") continue;
    if (bySeries.has(write.seriesId)) throw new Error(`readBackByApi: series ${write.seriesId} was written twice; the API read-back needs one point per series`);
    bySeries.set(write.seriesId, id);
  }
  const counts = new Map<string, number>();
  const queue = [...bySeries.keys()];
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let seriesId = queue.shift(); seriesId !== undefined; seriesId = queue.shift()) {
      counts.set(seriesId, await askCount(client, seriesId, retryForMs));
    }
  });
  await Promise.all(workers);

  const values = new Map<string, string | null>();
  const anomalies: string[] = [];
  let keysInDatabase = 0;
  for (const [seriesId, id] of bySeries) {
    const count = counts.get(seriesId) ?? 0;
    const [client, seq] = id.split(":").map(Number) as [number, number];
    if (count > 0) keysInDatabase++;
    if (count > 1) anomalies.push(`series ${seriesId}: sent 1 point, the service counts ${count}`);
    values.set(id, count === 0 ? null : count === 1 ? encodeRecord({ client, seq }, 0) : `counted ${count} points for 1`);
  }
  return { values, keysInDatabase, counts, anomalies };
}

async function askCount(client: ServiceClient, seriesId: string, retryForMs: number): Promise<number> {
  const deadline = Date.now() + retryForMs;
  for (;;) {
    const reply: Reply = await client.predict(seriesId).catch((error: unknown) => ({ status: 0, body: { error: String(error) }, latencyMs: 0 }));
    const answer: CountAnswer = countOf(reply);
    if (answer.kind === "count") return answer.points;
    if (answer.kind === "none") return 0;
    const transient = reply.status === 0 || reply.status >= 500;
    if (!transient || Date.now() > deadline) {
      const how = transient ? ` (still after ${retryForMs} ms)` : "";
      throw new ServiceApiError(`reading back series ${seriesId}: POST /predict without points: expected 2xx with data_points_used, or 404, got ${describeReply(reply)}${how}`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
}
