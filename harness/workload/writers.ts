import type { Redis } from "ioredis";
import { ReplyError } from "ioredis";
import type { HistoryRecorder } from "./history.js";
import { encodeRecord, recordKey } from "./record.js";

/** How the concurrent writers behave. */
export interface WritersOptions {
  clients: number;
  /** Writes in flight per client connection (pipelining); 1 means wait for each reply. */
  depth?: number;
  keyPrefix: string;
  valueBytes: number;
  /** Opens one connection for one writer; the writers disconnect it. */
  connect: () => Promise<Redis>;
  recorder: HistoryRecorder;
  /**
   * Sends one write; resolves undefined when it counts as acknowledged, or why its outcome is
   * unknown (recorded as `info`). Rejects as a bare SET would. Default: the SET's reply acknowledges.
   */
  write?: (redis: Redis, key: string, value: string) => Promise<string | undefined>;
  /** When set, a lane whose connection broke waits on this and carries on if it resolves true (a client that follows a failover). */
  resumeAfterBreak?: (redis: Redis) => Promise<boolean>;
}

/** Writers in flight: stop them and wait for every outstanding write to complete. */
export interface RunningWriters {
  stop(): Promise<void>;
}

const RETRY_AFTER_FAIL_MS = 20;

/**
 * Starts `clients` writers issuing SETs of sequence-numbered records, up to `depth` in flight per
 * connection. Commands go out in sequence order and Redis replies in order, so each reply still
 * acknowledges exactly one write. A client whose connection breaks records its in-flight writes
 * as `info` (outcome unknown) and stops: the server is going away (unless `resumeAfterBreak` says
 * the client found a server again).
 */
export async function startWriters(options: WritersOptions): Promise<RunningWriters> {
  const connections = await Promise.all(Array.from({ length: options.clients }, () => options.connect()));
  let stopping = false;
  const write = options.write ?? (async (redis: Redis, key: string, value: string) => void (await redis.set(key, value)));
  const resume = async (redis: Redis): Promise<boolean> => !stopping && options.resumeAfterBreak !== undefined && (await options.resumeAfterBreak(redis));
  const loops = connections.map(async (redis, client) => {
    let nextSeq = 0;
    let broken = false;
    const lane = async (): Promise<void> => {
      while (!stopping && !broken) {
        const id = { client, seq: nextSeq++ };
        options.recorder.invoke(client, id.seq);
        try {
          const unknown = await write(redis, recordKey(options.keyPrefix, id), encodeRecord(id, options.valueBytes));
          if (unknown === undefined) options.recorder.complete(client, id.seq, "ok");
          else options.recorder.complete(client, id.seq, "info", unknown);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof ReplyError) {
            options.recorder.complete(client, id.seq, "fail", message);
            await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_FAIL_MS));
          } else {
            options.recorder.complete(client, id.seq, "info", message);
            broken = !(await resume(redis));
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: options.depth ?? 1 }, lane));
    } finally {
      redis.disconnect();
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
