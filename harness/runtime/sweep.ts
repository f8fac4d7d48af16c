import debug from "debug";
import { dockerEngine } from "./docker-engine.js";
import { isAbandoned } from "./abandoned.js";
import { LABEL, hostId } from "./labels.js";
import { liveLeaseRuns } from "./lease.js";
import { processAlive } from "./process-alive.js";

const log = debug("redis-persistence:sweep");

/** Which labelled objects a sweep removes. */
export type SweepScope = { kind: "run"; runId: string } | { kind: "abandoned" };

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
  const listed = await docker.listContainers({ all: true, filters });
  const view = { hostId: hostId(), pidAlive: processAlive, leasedRuns: liveLeaseRuns(listed, Date.now()) };
  const selected = (labels: Record<string, string> | undefined): boolean => {
    if (!labels || labels[LABEL.suite] !== "true") return false;
    if (scope.kind === "run") return labels[LABEL.run] === scope.runId;
    return isAbandoned(labels, view);
  };
  const containers = listed.filter((c) => selected(c.Labels));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone)));
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) => selected(v.Labels));
  await Promise.all(volumes.map((v) => docker.getVolume(v.Name).remove().catch(ignoreGone)));
  const networks = (await docker.listNetworks({ filters })).filter((n) => selected(n.Labels));
  await Promise.all(networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignoreGone)));
  const report = { containers: containers.length, volumes: volumes.length, networks: networks.length };
  log("sweep %o removed %o", scope, report);
  return report;
}

function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
