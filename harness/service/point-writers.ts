import type { ServiceClient } from "./service-client.js";
import { outcomeOf } from "./service-history.js";
import type { ServiceHistory } from "./service-history.js";
import { pointAt, toWire } from "./series-points.js";

/** Writers in flight: stop them and wait for every outstanding request to be answered. */
export interface RunningPointWriters {
  stop(): Promise<void>;
}

// A refused request is retried after a pause: an outage must not turn into a busy loop.
const PAUSE_AFTER_FAILURE_MS = 20;

/**
 * Starts `clients` users of the service, each posting one point per request, one request at a
 * time, and recording each in `history`. Every request writes a series of its own
 * (`<prefix>-<client>-<seq>`), so that the API read-back can tell which points survived. Unlike
 * the Redis writers they keep going through an outage, as users of a service do.
 */
export function startPointWriters(client: ServiceClient, history: ServiceHistory, prefix: string, clients: number): RunningPointWriters {
  let stopping = false;
  const loops = Array.from({ length: clients }, async (_, index) => {
    const stream = `${prefix}-${index}`;
    for (let seq = 0; !stopping; seq++) {
      const point = pointAt(seq);
      const seriesId = `${stream}-${seq}`;
      const reply = await history.record(stream, { kind: "point", seriesId, ...point }, () => client.predict(seriesId, [toWire(point)]));
      if (outcomeOf(reply.status) !== "ok") await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_FAILURE_MS));
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
