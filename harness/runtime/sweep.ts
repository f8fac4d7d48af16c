import debug from "debug";
import { inRun, isAbandoned } from "./abandoned.js";
import { dockerEngine } from "./docker-engine.js";
import { LABEL, hostId } from "./labels.js";
import { liveLeaseRuns } from "./lease.js";
import type { ListedContainer } from "./lease.js";
import type { LivenessView } from "./abandoned.js";
import { processAlive } from "./process-alive.js";

const log = debug("redis-persistence:sweep");

/** Which labelled objects a sweep removes: one run's (this host's unless `host` names another), or those of runs that are over. */
export type SweepScope = { kind: "run"; runId: string; host?: string } | { kind: "abandoned" };

/** What a sweep removed. */
export interface SweepReport {
  containers: number;
  volumes: number;
  networks: number;
}

/**
 * Removes containers, then volumes and networks, carrying this project's labels: those of one
 * run, or those of runs that are over (abandoned.ts: the owner pid on this host, the lease for
 * another host's). Never touches anything else.
 */
export async function sweep(scope: SweepScope): Promise<SweepReport> {
  const docker = await dockerEngine();
  const filters = JSON.stringify({ label: [`${LABEL.suite}=true`] });
  const here = hostId();
  const listContainers = () => docker.listContainers({ all: true, filters });
  // The leases come from a listing taken after the objects judged were listed (for containers, the
  // same one): a run that took its lease in between is seen.
  const selector = (leaseListing: readonly ListedContainer[]) => {
    const nowMs = Date.now();
    const view: LivenessView = { hostId: here, pidAlive: processAlive, leasedRuns: liveLeaseRuns(leaseListing, nowMs), nowMs };
    return (labels: Record<string, string> | undefined, createdMs: number): boolean => {
      if (!labels || labels[LABEL.suite] !== "true") return false;
      return scope.kind === "run" ? inRun(labels, scope.runId, scope.host ?? here) : isAbandoned(labels, view, createdMs);
    };
  };
  const leasesNow = async () => (scope.kind === "abandoned" ? listContainers() : []);

  const listed = await listContainers();
  const forContainers = selector(listed);
  const containers = listed.filter((c) => forContainers(c.Labels, c.Created * 1000));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  const allVolumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  const forVolumes = selector(await leasesNow());
  const volumes = allVolumes.filter((v) => forVolumes(v.Labels, Date.parse((v as { CreatedAt?: string }).CreatedAt ?? "")));
  await Promise.all(volumes.map((v) => docker.getVolume(v.Name).remove().catch(ignoreGone)));
  const allNetworks = await docker.listNetworks({ filters });
  const forNetworks = selector(await leasesNow());
  const networks = allNetworks.filter((n) => forNetworks(n.Labels, Date.parse(n.Created)));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  const report = { containers: containers.length, volumes: volumes.length, networks: networks.length };
  log("sweep %o removed %o", scope, report);
  return report;
}

function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
