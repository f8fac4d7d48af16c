import type { ServiceClient } from "./service-client.js";
import type { ServiceHistory } from "./service-history.js";
import { pointAt, toWire } from "./series-points.js";

/** Writers in flight: stop them and wait for every outstanding request to be answered. */
export interface RunningPointWriters {
  stop(): Promise<void>;
}

// A refused request is retried after a pause: an outage must not turn into a busy loop.
const PAUSE_AFTER_FAILURE_MS = 20;

/**
 * Starts `clients` users of the service, each posting one new point per request to its own series
 * (`<prefix>-<client>`), one request at a time, and recording each in `history`. Unlike the Redis
 * writers they keep going through an outage, as users of a service do.
 */
export function startPointWriters(client: ServiceClient, history: ServiceHistory, prefix: string, clients: number): RunningPointWriters {
  let stopping = false;
  const loops = Array.from({ length: clients }, async (_, index) => {
    const seriesId = `${prefix}-${index}`;
    for (let seq = 0; !stopping; seq++) {
      const point = pointAt(seq);
      const reply = await history.record(seriesId, { kind: "point", seriesId, ...point }, () => client.predict(seriesId, [toWire(point)]));
      if (reply.status !== 200) await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_FAILURE_MS));
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
