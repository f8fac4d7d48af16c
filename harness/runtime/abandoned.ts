import { LABEL } from "./labels.js";

/** What a sweep knows when it judges whether a labelled object's run is over. */
export interface LivenessView {
  /** This host's id (labels.ts hostId). */
  hostId: string;
  /** Whether a pid is alive on this host. */
  pidAlive(pid: number): boolean;
  /** The runs whose lease is held (lease.ts liveLeaseRuns). */
  leasedRuns: ReadonlySet<string>;
}

/**
 * Whether an object's run is gone. An owner pid is only evidence on the host that labelled it, so an
 * object from another host (a second job sharing the engine) is abandoned only when its run's lease
 * has lapsed. Objects from before the host label was added are judged by their pid as they always were.
 */
export function isAbandoned(labels: Record<string, string>, view: LivenessView): boolean {
  const host = labels[LABEL.host];
  if (host === undefined || host === view.hostId) return !view.pidAlive(Number(labels[LABEL.ownerPid]));
  const run = labels[LABEL.run];
  return run === undefined || !view.leasedRuns.has(run);
}
