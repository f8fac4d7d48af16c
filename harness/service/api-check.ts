import type { Reply, ServiceClient } from "./service-client.js";
import { predictBody } from "./service-client.js";
import { pointAt, toWire } from "./series-points.js";

/** A service that does not answer the prediction API as the suites use it: one line, what was expected and what came back. */
export class ServiceApiError extends Error {
  override name = "ServiceApiError";
}

/** How an answer to POST /predict reads: the series' stored points, none, or not the API. */
export type CountAnswer = { kind: "count"; points: number } | { kind: "none" } | { kind: "unexpected"; got: string };

/**
 * Reads data_points_used from an answer to POST /predict: a 2xx with a numeric data_points_used
 * is that count; 404 (or a 2xx saying 0) is a series with no points. Pure.
 */
export function countOf(reply: Reply): CountAnswer {
  const used = reply.body.data_points_used;
  if (reply.status === 404) return { kind: "none" };
  if (reply.status < 200 || reply.status >= 300) return { kind: "unexpected", got: describeReply(reply) };
  if (typeof used !== "number" || !Number.isInteger(used) || used < 0) return { kind: "unexpected", got: `${describeReply(reply)} (no data_points_used as a whole number)` };
  return used === 0 ? { kind: "none" } : { kind: "count", points: used };
}

/** An answer as a failure line shows it: status and the body, cut to 200 characters (status 0: no answer). Pure. */
export function describeReply(reply: Reply): string {
  if (reply.status === 0) return `no answer (${String(reply.body.error ?? "")})`;
  const body = "unparsed" in reply.body ? String(reply.body.unparsed).replace(/\s+/g, " ").trim() : JSON.stringify(reply.body);
  return `${reply.status} ${body.length > 200 ? `${body.slice(0, 200)}...` : body}`;
}

/**
 * Checks, on series of its own (`<prefix>-*`), that the service answers the API the suites judge
 * it by: a point sent is counted (data_points_used 1), a second one too (2, so a series keeps
 * what it stored before), a request without points reports the stored count, and a series never
 * written reads as none (404, or data_points_used 0). Throws a ServiceApiError with one line otherwise.
 */
export async function checkPredictionApi(client: ServiceClient, prefix: string, who: string): Promise<void> {
  const series = `${prefix}-probe`;
  const steps: { request: string; send: () => Promise<Reply>; expected: string; ok: (answer: CountAnswer) => boolean; hint?: string }[] = [
    {
      request: `POST /predict ${JSON.stringify(predictBody(series, [toWire(pointAt(0))]))}`,
      send: () => client.predict(series, [toWire(pointAt(0))]),
      expected: "2xx with data_points_used 1 (a new series, one point)",
      ok: (a) => a.kind === "count" && a.points === 1,
    },
    {
      request: `POST /predict ${JSON.stringify(predictBody(series, [toWire(pointAt(1))]))}`,
      send: () => client.predict(series, [toWire(pointAt(1))]),
      expected: "2xx with data_points_used 2 (the point stored before, and this one)",
      ok: (a) => a.kind === "count" && a.points === 2,
      hint: "if it caps data_points_used (a lookback window), raise the cap with SERVICE_ENV",
    },
    {
      request: `POST /predict ${JSON.stringify(predictBody(series))}`,
      send: () => client.predict(series),
      expected: "2xx with data_points_used 2 (no new point: the stored history alone)",
      ok: (a) => a.kind === "count" && a.points === 2,
    },
    {
      request: `POST /predict ${JSON.stringify(predictBody(`${prefix}-never-written`))}`,
      send: () => client.predict(`${prefix}-never-written`),
      expected: "404, or 2xx with data_points_used 0 (a series never written)",
      ok: (a) => a.kind === "none",
    },
  ];
  for (const step of steps) {
    const reply = await step.send().catch((error: unknown) => ({ status: 0, body: { error: error instanceof Error ? error.message : String(error) }, latencyMs: 0 }));
    const answer = countOf(reply);
    if (!step.ok(answer)) {
      const got = answer.kind === "unexpected" ? answer.got : describeReply(reply);
      throw new ServiceApiError(`${who} does not answer the prediction API: ${step.request}: expected ${step.expected}, got ${got}${step.hint ? ` (${step.hint})` : ""}`);
    }
  }
}
