import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ServiceApiError, checkPredictionApi, countOf } from "./api-check.js";
import { readBackByApi } from "./api-readback.js";
import { ServiceClient } from "./service-client.js";
import { ServiceHistory } from "./service-history.js";

type Handler = (path: string, body: { series_id?: string; historical_data?: unknown[] }) => { status: number; body: unknown };

/** A fake prediction service in this process: series as sets of points, answers shaped by `shape`. */
function fakeService(shape: (count: number, seriesId: string, sent: number) => { status: number; body: unknown } = (count, seriesId) => (count === 0 ? { status: 404, body: { error: "no history" } } : { status: 200, body: { series_id: seriesId, prediction: 1, data_points_used: count, redis_connected: true } })): Handler {
  const series = new Map<string, Set<string>>();
  return (path, body) => {
    if (path !== "/predict") return { status: 404, body: { error: `no route ${path}` } };
    const id = String(body.series_id);
    const points = series.get(id) ?? new Set<string>();
    for (const point of body.historical_data ?? []) points.add(JSON.stringify(point));
    if (points.size > 0) series.set(id, points);
    return shape(points.size, id, body.historical_data?.length ?? 0);
  };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: Handler): Promise<ServiceClient> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const answer = handler(new URL(req.url ?? "/", "http://fake").pathname, text ? JSON.parse(text) : {});
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return new ServiceClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

const WHO = "a foreign service: fake:1, port 1, health /health";

describe("checkPredictionApi", () => {
  it("accepts a service that counts what it stored, and 404 or 0 for a series never written", async () => {
    await expect(checkPredictionApi(await serve(fakeService()), "p", WHO)).resolves.toBeUndefined();
    const zero = fakeService((count, seriesId) => ({ status: 200, body: { series_id: seriesId, data_points_used: count } }));
    await expect(checkPredictionApi(await serve(zero), "p", WHO)).resolves.toBeUndefined();
  });

  it("one line for a 404 on /predict", async () => {
    const client = await serve((path) => ({ status: 404, body: { error: `no route ${path}` } }));
    const error = await checkPredictionApi(client, "p", WHO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceApiError);
    expect(String((error as Error).message)).toBe(
      `${WHO} does not answer the prediction API: POST /predict {"series_id":"p-probe","historical_data":[{"timestamp":"2024-01-01T12:00:00","value":10}]}: expected 2xx with data_points_used 1 (a new series, one point), got 404 {"error":"no route /predict"}`,
    );
    expect((error as Error).message).not.toContain("\n");
  });

  it("one line for an answer without data_points_used", async () => {
    const client = await serve(fakeService((_count, seriesId) => ({ status: 200, body: { series_id: seriesId, prediction: 3 } })));
    await expect(checkPredictionApi(client, "p", WHO)).rejects.toThrow(/expected 2xx with data_points_used 1 .*, got 200 \{"series_id":"p-probe","prediction":3\} \(no data_points_used as a whole number\)$/);
  });

  it("one line for a service that forgets what it stored before (or caps the count at 1)", async () => {
    const client = await serve(fakeService((_count, seriesId, sent) => ({ status: 200, body: { series_id: seriesId, data_points_used: sent } })));
    await expect(checkPredictionApi(client, "p", WHO)).rejects.toThrow(/expected 2xx with data_points_used 2 \(the point stored before, and this one\), got 200 .*"data_points_used":1.*raise the cap with SERVICE_ENV/);
  });

  it("one line for a service that answers a series never written with 200 and a count", async () => {
    const client = await serve(fakeService((count, seriesId) => ({ status: 200, body: { series_id: seriesId, data_points_used: Math.max(count, 1) } })));
    await expect(checkPredictionApi(client, "p", WHO)).rejects.toThrow(/-never-written.*expected 404, or 2xx with data_points_used 0 .*got 200/);
  });
});

describe("countOf", () => {
  it("reads 2xx counts, 404 and 0 as none, anything else as not the API", () => {
    expect(countOf({ status: 201, body: { data_points_used: 3 }, latencyMs: 0 })).toEqual({ kind: "count", points: 3 });
    expect(countOf({ status: 404, body: {}, latencyMs: 0 })).toEqual({ kind: "none" });
    expect(countOf({ status: 200, body: { data_points_used: 0 }, latencyMs: 0 })).toEqual({ kind: "none" });
    expect(countOf({ status: 200, body: { data_points_used: "3" }, latencyMs: 0 }).kind).toBe("unexpected");
    expect(countOf({ status: 500, body: { error: "x" }, latencyMs: 0 })).toEqual({ kind: "unexpected", got: '500 {"error":"x"}' });
  });
});

describe("readBackByApi", () => {
  it("a point the service no longer counts is missing, one counted twice is kept as corrupted", async () => {
    const stored = new Map<string, number>([
      ["a", 1],
      ["b", 0],
      ["c", 2],
    ]);
    const client = await serve((_path, body) => {
      const count = stored.get(String(body.series_id)) ?? 0;
      return count === 0 ? { status: 404, body: {} } : { status: 200, body: { data_points_used: count } };
    });
    const history = new ServiceHistory();
    for (const seriesId of ["a", "b", "c"]) await history.record("user", { kind: "point", seriesId, timestampMs: 0, value: 1 }, async () => ({ status: 200, body: {}, latencyMs: 1 }));
    const readBack = await readBackByApi(client, history);
    expect(readBack.values.get("0:0")).not.toBeNull();
    expect(readBack.values.get("0:1")).toBeNull();
    expect(readBack.values.get("0:2")).toBe("counted 2 points for 1");
    expect(readBack.keysInDatabase).toBe(2);
    expect(readBack.anomalies).toEqual(["series c: sent 1 point, the service counts 2"]);
  });

  it("one line when the read-back is not answered as the API", async () => {
    const client = await serve(() => ({ status: 400, body: { error: "historical_data must not be empty" } }));
    const history = new ServiceHistory();
    await history.record("user", { kind: "point", seriesId: "a", timestampMs: 0, value: 1 }, async () => ({ status: 200, body: {}, latencyMs: 1 }));
    await expect(readBackByApi(client, history)).rejects.toThrow(
      'reading back series a: POST /predict without points: expected 2xx with data_points_used, or 404, got 400 {"error":"historical_data must not be empty"}',
    );
  });
});
