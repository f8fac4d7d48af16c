import type { Redis } from "ioredis";
import { ReplyError } from "ioredis";
import type { HistoryRecorder } from "./history.js";
import { encodeRecord, recordKey } from "./record.js";

/** How the concurrent writers behave. */
export interface WritersOptions {
  clients: number;
  keyPrefix: string;
  valueBytes: number;
  /** Opens one connection for one writer; the writers disconnect it. */
  connect: () => Promise<Redis>;
  recorder: HistoryRecorder;
}

/** Writers in flight: stop them and wait for every outstanding write to complete. */
export interface RunningWriters {
  stop(): Promise<void>;
}

const RETRY_AFTER_FAIL_MS = 20;

/**
 * Starts `clients` writers, each issuing SETs of sequence-numbered records one at a time, so a
 * reply acknowledges exactly one write. A writer whose connection breaks records the write as
 * `info` (outcome unknown) and stops: the server is going away.
 */
export async function startWriters(options: WritersOptions): Promise<RunningWriters> {
  const connections = await Promise.all(Array.from({ length: options.clients }, () => options.connect()));
  let stopping = false;
  const loops = connections.map(async (redis, client) => {
    try {
      for (let seq = 0; !stopping; seq++) {
        const id = { client, seq };
        options.recorder.invoke(client, seq);
        try {
          await redis.set(recordKey(options.keyPrefix, id), encodeRecord(id, options.valueBytes));
          options.recorder.complete(client, seq, "ok");
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof ReplyError) {
            options.recorder.complete(client, seq, "fail", message);
            await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_FAIL_MS));
          } else {
            options.recorder.complete(client, seq, "info", message);
            return;
          }
        }
      }
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
