import debug from "debug";
import { inRun, isAbandoned } from "./abandoned.js";
import { dockerEngine } from "./docker-engine.js";
import { LABEL, hostId } from "./labels.js";
import { liveLeaseRuns } from "./lease.js";
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
 * another host's). The leases are read again before each kind, so a run that took its lease after
 * the first listing is seen. Never touches anything else.
 */
export async function sweep(scope: SweepScope): Promise<SweepReport> {
  const docker = await dockerEngine();
  const filters = JSON.stringify({ label: [`${LABEL.suite}=true`] });
  const here = hostId();
  const view = async (): Promise<LivenessView> => ({
    hostId: here,
    pidAlive: processAlive,
    leasedRuns: liveLeaseRuns(await docker.listContainers({ all: true, filters }), Date.now()),
    nowMs: Date.now(),
  });
  const selected = (labels: Record<string, string> | undefined, liveness: LivenessView | undefined, createdMs: number): boolean => {
    if (!labels || labels[LABEL.suite] !== "true") return false;
    if (scope.kind === "run") return inRun(labels, scope.runId, scope.host ?? here);
    return liveness !== undefined && isAbandoned(labels, liveness, createdMs);
  };
  const judge = async (): Promise<LivenessView | undefined> => (scope.kind === "abandoned" ? view() : undefined);

  const listed = await docker.listContainers({ all: true, filters });
  const forContainers = await judge();
  const containers = listed.filter((c) => selected(c.Labels, forContainers, c.Created * 1000));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  const allVolumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  const forVolumes = await judge();
  const volumes = allVolumes.filter((v) => selected(v.Labels, forVolumes, Date.parse((v as { CreatedAt?: string }).CreatedAt ?? "")));
  await Promise.all(volumes.map((v) => docker.getVolume(v.Name).remove().catch(ignoreGone)));
  const allNetworks = await docker.listNetworks({ filters });
  const forNetworks = await judge();
  const networks = allNetworks.filter((n) => selected(n.Labels, forNetworks, Date.parse(n.Created)));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  const report = { containers: containers.length, volumes: volumes.length, networks: networks.length };
  log("sweep %o removed %o", scope, report);
  return report;
}

function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
