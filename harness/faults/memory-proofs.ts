import type { ContainerState } from "../runtime/redis-node.js";
import { evictionScope } from "../gate/redis-memory.js";
import type { FaultProof } from "./fault.js";
import { SIGKILL_EXIT_CODE } from "./process-proofs.js";

/**
 * Proof that memory filled up under the run's policy: Redis evicted keys (an evicting policy) or
 * refused writes with OOM (noeviction; volatile-* once no key with a TTL is left). Pure.
 */
export function memoryPressureProof(policy: string, evicted: number, oomErrors: number): FaultProof {
  const seen = `evicted_keys +${evicted}, OOM errors +${oomErrors} (maxmemory-policy ${policy})`;
  switch (evictionScope(policy)) {
    case "allkeys":
      return { claim: "memory filled up and Redis evicted keys (INFO stats evicted_keys grew)", held: evicted > 0, seen };
    case "volatile":
      return { claim: "memory filled up: Redis evicted keys with a TTL or refused writes with OOM", held: evicted > 0 || oomErrors > 0, seen };
    case "none":
      return { claim: "memory filled up and Redis refused writes with OOM errors (INFO errorstats errorstat_OOM grew)", held: oomErrors > 0, seen };
  }
}

// The kernel keeps a cgroup limit in whole pages (up to 64 KiB on some architectures): "500M" is stored rounded down.
const PAGE_TOLERANCE_BYTES = 64 * 1024;

/** Proof that the kernel enforces the container's memory limit: its cgroup reports the limit asked for, to the page. Pure. */
export function memoryLimitProof(askedBytes: number, cgroupBytes: number | undefined): FaultProof {
  return {
    claim: `the container runs under its memory limit (${askedBytes} bytes in its cgroup)`,
    held: cgroupBytes !== undefined && Math.abs(cgroupBytes - askedBytes) < PAGE_TOLERANCE_BYTES,
    seen: cgroupBytes === undefined ? "the container's cgroup shows no memory limit" : `cgroup memory limit ${cgroupBytes} bytes`,
  };
}

/** Proof that the container went past its limit and the OOM killer ended Redis: exit code 137 and Docker's OOMKilled. Pure. */
export function oomKillProof(state: ContainerState): FaultProof {
  return {
    claim: "the fork's copy-on-write pushed the container past its memory limit and the kernel OOM-killed Redis (exit code 137, OOMKilled true)",
    held: !state.running && state.exitCode === SIGKILL_EXIT_CODE && state.oomKilled,
    seen: state.running ? `Redis is still running (OOMKilled ${state.oomKilled}: ${state.oomKilled ? "the kernel killed another process of the container, e.g. the fork" : "the fork fitted"})` : `exit code ${state.exitCode}, OOMKilled ${state.oomKilled}`,
  };
}

const FORK_COW = /Fork CoW for (?:RDB|AOF rewrite): current \d+ MB, peak (\d+) MB/g;

/** The copy-on-write peak the last finished fork logged ("Fork CoW for RDB: ... peak 45 MB"), in MB; undefined when none finished. Pure. */
export function lastForkCowPeakMB(log: string): number | undefined {
  const last = [...log.matchAll(FORK_COW)].at(-1);
  return last ? Number(last[1]) : undefined;
}
