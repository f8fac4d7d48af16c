import { LABEL, leaseKey } from "./labels.js";
import { LEASE_TTL_S } from "./lease.js";

/** What a sweep knows when it judges whether a labelled object's run is over. */
export interface LivenessView {
  /** This host's id (labels.ts hostId). */
  hostId: string;
  /** Whether a pid is alive on this host. */
  pidAlive(pid: number): boolean;
  /** The runs whose lease is held, by leaseKey (lease.ts liveLeaseRuns). */
  leasedRuns: ReadonlySet<string>;
  /** This host's clock, ms since the epoch. */
  nowMs: number;
}

/**
 * Whether an object's run is gone. An owner pid is only evidence on the host that labelled it, so an
 * object from another host (a second job sharing the engine) is abandoned only when its run's lease
 * has lapsed, and never while it is younger than a lease's TTL (its run may be between taking its
 * lease and this sweep's listing). Objects from before the host label was added are judged by their
 * pid as they always were.
 */
export function isAbandoned(labels: Record<string, string>, view: LivenessView, createdMs?: number): boolean {
  const host = labels[LABEL.host];
  if (host === undefined || host === view.hostId) return !view.pidAlive(Number(labels[LABEL.ownerPid]));
  if (createdMs !== undefined && Number.isFinite(createdMs) && view.nowMs - createdMs < LEASE_TTL_S * 1000) return false;
  const run = labels[LABEL.run];
  return run === undefined || !view.leasedRuns.has(leaseKey(host, run));
}

/** Whether an object belongs to one run of one host (objects from before the host label: by run id alone). */
export function inRun(labels: Record<string, string>, runId: string, host: string): boolean {
  const labelled = labels[LABEL.host];
  return labels[LABEL.run] === runId && (labelled === undefined || labelled === host);
}
