import type { FaultProof } from "../fault.js";

/** Proof that Sentinel promoted another node: get-master-addr-by-name names a different address. Pure. */
export function failoverProof(oldPrimaryIp: string, newPrimaryIp: string | undefined, waitedMs: number): FaultProof {
  return {
    claim: "Sentinel promoted another node (SENTINEL get-master-addr-by-name names a different address)",
    held: newPrimaryIp !== undefined && newPrimaryIp !== oldPrimaryIp,
    seen: newPrimaryIp === undefined ? `still ${oldPrimaryIp} after ${waitedMs} ms` : `${oldPrimaryIp} -> ${newPrimaryIp} after ${waitedMs} ms`,
  };
}

/** Proof that the old primary came back as a replica of the new one (its own INFO replication). Pure. */
export function rejoinedProof(oldPrimaryIp: string, newPrimaryIp: string, replication: Map<string, string>): FaultProof {
  const role = replication.get("role");
  const master = replication.get("master_host");
  return {
    claim: `the old primary ${oldPrimaryIp} came back as a replica of the new primary ${newPrimaryIp}`,
    held: role === "slave" && master === newPrimaryIp,
    seen: `role ${role}, master_host ${master ?? "(none)"}, link ${replication.get("master_link_status") ?? "(none)"}`,
  };
}

/** Proof that the group settled on the primary the failover promoted: a second failover would make the run about another event. Pure. */
export function oneFailoverProof(promotedIp: string, settledPrimaryIp: string): FaultProof {
  return {
    claim: `the group settled on the primary the failover promoted (${promotedIp}), with no second failover`,
    held: settledPrimaryIp === promotedIp,
    seen: `primary ${settledPrimaryIp} once settled`,
  };
}

/** Less than one SET of the failover workload in the replication stream: a PING to the replicas is 14 bytes. */
export const MIN_WRITES_BYTES = 64;

/**
 * Proof that the cut-off primary kept applying writes while the Sentinels failed over: its
 * replication offset grew between the cut and the moment a new primary was named, and it still
 * called itself master (so it kept replying OK to them). Pure.
 */
export function acknowledgedWhileCutOffProof(offsetAtCut: number, offsetAtFailover: number, roleAtFailover: string | undefined): FaultProof {
  return {
    claim: `the cut-off primary still applied (and acknowledged) writes after the cut, as master, until a new primary was named (its replication offset grew by more than ${MIN_WRITES_BYTES} bytes: more than a PING to its replicas)`,
    held: roleAtFailover === "master" && offsetAtFailover - offsetAtCut > MIN_WRITES_BYTES,
    seen: `master_repl_offset ${offsetAtCut} at the cut, ${offsetAtFailover} at the failover; role ${roleAtFailover ?? "(unknown)"}`,
  };
}

/** Proof that no Sentinel entered TILT (a timer jump of 2 s or more: it stops acting for 30 s, so the run cannot speak for Sentinel). Pure. */
export function noTiltProof(sentinelLogs: readonly string[]): FaultProof {
  const tilted = sentinelLogs.flatMap((log) => log.split("\n").filter((line) => /\+tilt/.test(line))).map((line) => line.trim());
  return {
    claim: "no Sentinel entered TILT mode during the run",
    held: tilted.length === 0,
    seen: tilted.length === 0 ? "no +tilt in any Sentinel's log" : tilted.slice(0, 3).join(" | "),
  };
}
