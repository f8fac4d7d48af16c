import type { Clock } from "../workload/clock.js";
import { systemClock } from "../workload/clock.js";
import type { History } from "../workload/history.js";
import { HistoryRecorder } from "../workload/history.js";
import { readBackKey } from "../workload/readback.js";
import type { Reply } from "./service-client.js";

/** What one request to the service stores in Redis when it succeeds. Times in ms since the epoch. */
export type ServiceWrite =
  | { kind: "point"; seriesId: string; timestampMs: number; value: number }
  | { kind: "event"; userId: string; type: string; itemId: string; timestampMs: number }
  /** A GET /users/<id>/model that rebuilt the model; `builtAt` is the model's built_at, once answered. */
  | { kind: "model"; userId: string; builtAt?: string };

/** One request as the service answered it (status 0: no answer). Times in ms. */
export interface Answer {
  atMs: number;
  status: number;
  latencyMs: number;
}

/**
 * The service's writes as a harness history: each stream (a user of the service, writing one
 * request at a time) is a "client" and each write a sequence-numbered op. 2xx is `ok` (acknowledged); 400-499 is `fail` (refused before anything was stored);
 * 503, other 5xx and no answer are `info` (Redis may have applied the write before the reply was
 * lost). So the harness checkers judge what the service acknowledged.
 */
export class ServiceHistory {
  /** The underlying recorder, e.g. for takeSnapshot's mark. */
  readonly recorder: HistoryRecorder;
  private readonly streams = new Map<string, number>();
  private readonly nextSeq = new Map<number, number>();
  private readonly writesById = new Map<string, ServiceWrite>();
  private readonly answerLog: Answer[] = [];

  constructor(private readonly clock: Clock = systemClock) {
    this.recorder = new HistoryRecorder(clock);
  }

  /**
   * Sends one write on `stream` and records it; a network error is recorded as `info` and returned
   * as status 0. Writes of one stream must be sequential: loss windows and gaps are judged per stream.
   */
  async record(stream: string, write: ServiceWrite, send: () => Promise<Reply>): Promise<Reply> {
    const client = this.clientOf(stream);
    const seq = this.nextSeq.get(client) ?? 0;
    this.nextSeq.set(client, seq + 1);
    this.writesById.set(readBackKey(client, seq), write);
    this.recorder.invoke(client, seq);
    const startedAtMs = this.clock.nowMs();
    const reply: Reply = await send().catch((error: unknown) => ({ status: 0, body: { error: String(error) }, latencyMs: this.clock.nowMs() - startedAtMs }));
    const outcome = outcomeOf(reply.status);
    if (write.kind === "model" && outcome === "ok") write.builtAt = String(reply.body.built_at);
    this.recorder.complete(client, seq, outcome, outcome === "ok" ? undefined : `${reply.status} ${JSON.stringify(reply.body)}`);
    this.answerLog.push({ atMs: this.clock.nowMs(), status: reply.status, latencyMs: reply.latencyMs });
    return reply;
  }

  /** The recorded ops and marks, as the harness checkers read them. */
  history(): History {
    return this.recorder.history();
  }

  /** Every write sent, keyed like a ReadBack (`client:seq`). */
  writes(): ReadonlyMap<string, ServiceWrite> {
    return this.writesById;
  }

  /** Every answer, in the order they came. */
  answers(): readonly Answer[] {
    return this.answerLog;
  }

  private clientOf(stream: string): number {
    let client = this.streams.get(stream);
    if (client === undefined) {
      client = this.streams.size;
      this.streams.set(stream, client);
    }
    return client;
  }
}

/** 2xx: acknowledged; 4xx: refused; anything else (5xx, no answer): unknown. */
export function outcomeOf(status: number): "ok" | "fail" | "info" {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 400 && status < 500) return "fail";
  return "info";
}
