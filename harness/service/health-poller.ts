import type { ServiceClient } from "./service-client.js";

/** One GET /health as answered (status 0: no answer). Times in ms. */
export interface HealthSample {
  atMs: number;
  status: number;
  latencyMs: number;
}

/** A poller in flight: stop it to get every sample it took. */
export interface RunningHealthPoller {
  stop(): Promise<HealthSample[]>;
}

/** Polls GET /health every `intervalMs`, one request at a time, as a load balancer would. */
export function startHealthPoller(client: ServiceClient, intervalMs: number): RunningHealthPoller {
  const samples: HealthSample[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const startedAtMs = Date.now();
      const sample = await client.health().then(
        (reply) => ({ status: reply.status, latencyMs: reply.latencyMs }),
        () => ({ status: 0, latencyMs: Date.now() - startedAtMs }),
      );
      samples.push({ atMs: Date.now(), ...sample });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return samples;
    },
  };
}

/** The statuses in order with repeats collapsed, e.g. [200, 503, 200]. Pure. */
export function statusRuns(samples: readonly HealthSample[]): number[] {
  return samples.map((s) => s.status).filter((status, i, all) => i === 0 || all[i - 1] !== status);
}
