import type Dockerode from "dockerode";
import { LABEL, hostId, leaseKey, runLabels } from "./labels.js";

/** How long a lease outlives its last renewal: a run whose host vanished is abandoned after this. */
export const LEASE_TTL_S = 60;
/** How often the janitor renews its run's lease (a sixth of the TTL, so a busy host misses several before it lapses). */
export const LEASE_RENEW_MS = 10_000;
const ROLE = "lease";
const STAMP = "/tmp/lease-renewed";

/** A lease other than this run's own: another run id or host (a second host's stand-in), a shorter TTL. */
export interface LeaseOptions {
  labels?: Record<string, string>;
  ttlS?: number;
}

/**
 * The lease a run holds on the engine: a container that exits by itself once nobody has renewed it
 * for LEASE_TTL_S, timed by the engine's own clock (so clocks of hosts sharing it never disagree).
 */
export async function startLease(docker: Dockerode, image: string, options: LeaseOptions = {}): Promise<string> {
  const ttl = options.ttlS ?? LEASE_TTL_S;
  const script = `touch ${STAMP}; while [ $(( $(date +%s) - $(stat -c %Y ${STAMP}) )) -lt ${ttl} ]; do sleep 1; done`;
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ["sh", "-c"],
    Cmd: [script],
    Labels: { ...runLabels(ROLE), ...options.labels, [LABEL.role]: ROLE },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  // The loop exits at once where the image lacks sh, date or stat, or /tmp is not writable.
  await new Promise((resolve) => setTimeout(resolve, LEASE_START_CHECK_MS));
  const state = (await container.inspect()).State;
  if (!state.Running) {
    await container.remove({ force: true }).catch(() => undefined);
    throw new Error(`the lease container on ${image} exited at once (exit code ${state.ExitCode}): the image needs sh, date, stat and a writable /tmp`);
  }
  return container.id;
}

const LEASE_START_CHECK_MS = 300;

/** Renews this host's leases of a run; returns how many it renewed. */
export async function renewLease(docker: Dockerode, runId: string): Promise<number> {
  const filters = JSON.stringify({ label: [`${LABEL.run}=${runId}`, `${LABEL.role}=${ROLE}`, `${LABEL.host}=${hostId()}`], status: ["running"] });
  const leases = await docker.listContainers({ filters });
  await Promise.all(
    leases.map(async (lease) => {
      const exec = await docker.getContainer(lease.Id).exec({ Cmd: ["touch", STAMP] });
      await exec.start({ Detach: true });
    }),
  );
  return leases.length;
}

/** The part of a listed container a lease check reads. */
export interface ListedContainer {
  Labels?: Record<string, string>;
  State?: string;
  /** Creation time, seconds since the epoch. */
  Created?: number;
}

/**
 * The runs that hold a lease, by leaseKey(host, run): a lease container running, or created so
 * recently that its run may be about to start it (created and started are two calls; a sweep between
 * them must not take it).
 */
export function liveLeaseRuns(containers: readonly ListedContainer[], nowMs: number): Set<string> {
  const runs = new Set<string>();
  for (const c of containers) {
    const labels = c.Labels ?? {};
    const run = labels[LABEL.run];
    const host = labels[LABEL.host];
    if (labels[LABEL.role] !== ROLE || run === undefined || host === undefined) continue;
    const starting = c.State === "created" && (c.Created ?? 0) * 1000 > nowMs - LEASE_TTL_S * 1000;
    if (c.State === "running" || starting) runs.add(leaseKey(host, run));
  }
  return runs;
}
