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

/**
 * Proof that the primary was restarted in place, faster than Sentinel's down-after-milliseconds:
 * its run_id changed (a new process) and it served again `restartMs` after the kill. Pure.
 */
export function restartedInPlaceProof(runIdBefore: string | undefined, runIdAfter: string | undefined, restartMs: number, downAfterMs: number): FaultProof {
  return {
    claim: `the primary was restarted in place (a new run_id) and served again within Sentinel's down-after-milliseconds (${downAfterMs} ms) of the kill`,
    held: runIdBefore !== undefined && runIdAfter !== undefined && runIdAfter !== runIdBefore && restartMs < downAfterMs,
    seen: `run_id ${short(runIdBefore)} -> ${short(runIdAfter)}; serving again ${restartMs} ms after the kill`,
  };
}

/**
 * Proof that no failover happened: the group settled on the restarted primary's address and no
 * Sentinel logged +switch-master. A +sdown is reported but does not break it (a Sentinel's last
 * PONG may be up to a ping period older than the kill); a failover does. Pure.
 */
export function noFailoverProof(primaryIp: string, settledPrimaryIp: string, sentinelLogs: readonly string[]): FaultProof {
  const lines = (pattern: RegExp): string[] => sentinelLogs.flatMap((log) => log.split("\n").filter((line) => pattern.test(line))).map((line) => line.trim());
  const switched = lines(/\+switch-master/);
  const sdown = lines(/\+sdown master/);
  return {
    claim: `no failover: the Sentinels still name ${primaryIp} once the group settled, and none logged +switch-master`,
    held: settledPrimaryIp === primaryIp && switched.length === 0,
    seen: `primary ${settledPrimaryIp} once settled; ${switched.length === 0 ? "no +switch-master" : switched.slice(0, 2).join(" | ")}; ${sdown.length} +sdown master line(s)${sdown.length > 0 ? ` (${sdown[0]})` : ""}`,
  };
}

/** One replica's replication state after the restart, from its own INFO. */
export interface ReplicaResync {
  ip: string;
  /** The replication ID the replica now follows (its INFO master_replid). */
  replid: string | undefined;
}

/**
 * Proof that every replica did a full resync from the restarted primary: the primary started a
 * new replication history (its master_replid changed, so no PSYNC could continue the old one),
 * served at least one full sync per replica since it started (INFO stats sync_full), and every
 * replica now follows that new history. Pure.
 */
export function fullResyncProof(replidBefore: string | undefined, replidAfter: string | undefined, syncFull: number, replicas: readonly ReplicaResync[]): FaultProof {
  const following = replicas.filter((r) => replidAfter !== undefined && r.replid === replidAfter);
  return {
    claim: "every replica did a full resync from the restarted primary (a new master_replid, sync_full at least one per replica, every replica following the new replication ID)",
    held: replidBefore !== undefined && replidAfter !== undefined && replidAfter !== replidBefore && syncFull >= replicas.length && replicas.length > 0 && following.length === replicas.length,
    seen: `master_replid ${short(replidBefore)} -> ${short(replidAfter)}; sync_full ${syncFull}; replicas following it: ${following.length} of ${replicas.length} (${replicas.map((r) => `${r.ip} ${short(r.replid)}`).join(", ")})`,
  };
}

function short(id: string | undefined): string {
  return id === undefined ? "(none)" : id.slice(0, 8);
}
