import type { FaultProof } from "../fault.js";
import type { History } from "../../workload/history.js";

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

/** Proof that the read-back came from the node the fault's failover promoted (the restarted one where none happened): nothing moved the primary after the heal. Pure. */
export function readFromPromotedProof(promotedIp: string, readFromIp: string): FaultProof {
  return {
    claim: `the records were read back from the primary the fault left (${promotedIp}), with no failover after the heal`,
    held: readFromIp === promotedIp,
    seen: `read back from ${readFromIp}`,
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
  // A log without Sentinel's +monitor line is no log of a running Sentinel: an empty one shows no TILT by showing nothing.
  const silent = sentinelLogs.filter((log) => !/\+monitor master /.test(log)).length;
  return {
    claim: "no Sentinel entered TILT mode during the run (every Sentinel's log read, from its +monitor line on)",
    held: sentinelLogs.length > 0 && silent === 0 && tilted.length === 0,
    seen: silent > 0 ? `${silent} of ${sentinelLogs.length} Sentinel log(s) hold no +monitor line` : tilted.length === 0 ? "no +tilt in any Sentinel's log" : tilted.slice(0, 3).join(" | "),
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

const IN_SYNC_AT_SHUTDOWN = /(\d+) of (\d+) replicas are in sync when shutting down/g;
const WAITING_FOR_REPLICAS = "Waiting for replicas before shutting down";
const SHUTDOWN_REQUESTED = "User requested shutdown";

/**
 * Proof that a primary stopped by SIGTERM found its replicas behind and waited for them (Redis
 * 7.0+): in its log since the last "User requested shutdown", "Waiting for replicas before
 * shutting down", then "N of N replicas are in sync when shutting down" with N every replica
 * the group has (a replica that had dropped off would make it "1 of 1"). Pure.
 */
export function replicasInSyncAtShutdownProof(log: string, replicas: number): FaultProof {
  const lastShutdown = log.lastIndexOf(SHUTDOWN_REQUESTED);
  const shutdown = lastShutdown < 0 ? "" : log.slice(lastShutdown);
  const last = [...shutdown.matchAll(IN_SYNC_AT_SHUTDOWN)].at(-1);
  const inSync = last ? Number(last[1]) : 0;
  const total = last ? Number(last[2]) : 0;
  const waited = shutdown.includes(WAITING_FOR_REPLICAS);
  return {
    claim: `the primary's shutdown found its replicas behind, waited, and exited once all ${replicas} replicas had its whole replication stream ("Waiting for replicas before shutting down", then "${replicas} of ${replicas} replicas are in sync when shutting down")`,
    held: waited && replicas >= 1 && total === replicas && inSync === total,
    seen: lastShutdown < 0 ? "no \"User requested shutdown\" line in the primary's log" : `${waited ? "waited for its replicas" : "no \"Waiting for replicas\" line"}; ${last ? last[0] : "no \"replicas are in sync when shutting down\" line"}`,
  };
}

/**
 * Proof that the replicas were behind the primary when it was struck: the engine reported every
 * replica paused, and the primary's replication offset grew during the freeze by more than a PING
 * (writes it acknowledged that no replica had read). Pure.
 */
export function replicasBehindProof(lag: { offsetAtFreeze: number; offsetAtStrike: number; frozenAtStrike: number; replicas: number }): FaultProof {
  const grew = lag.offsetAtStrike - lag.offsetAtFreeze;
  return {
    claim: `every replica was frozen at the strike and the primary had applied writes they had not read (its offset grew by more than ${MIN_WRITES_BYTES} bytes during the freeze)`,
    held: lag.replicas >= 1 && lag.frozenAtStrike === lag.replicas && grew > MIN_WRITES_BYTES,
    seen: `${lag.frozenAtStrike} of ${lag.replicas} replicas paused at the strike; master_repl_offset ${lag.offsetAtFreeze} -> ${lag.offsetAtStrike} (+${grew} bytes)`,
  };
}

const PARTIAL_RESYNC_ACCEPTED = "Master accepted a Partial Resynchronization";
const FULL_RESYNC = "Full resync from master";

/**
 * Proof that the node handed over to had the demoted primary's whole stream: after the FAILOVER,
 * the demoted primary's log shows its new primary accepting a partial resynchronisation and no
 * full resync (a target behind it would have answered with a full one, discarding the writes only
 * the demoted primary had). `logAfter` is the demoted primary's log since the FAILOVER. Pure.
 */
export function handedOverInSyncProof(logAfter: string): FaultProof {
  const partial = logAfter.includes(PARTIAL_RESYNC_ACCEPTED);
  const full = logAfter.includes(FULL_RESYNC);
  return {
    claim: "the new primary had the demoted primary's whole replication stream: it accepted a partial resynchronisation, no full resync",
    held: partial && !full,
    seen: `${partial ? "partial resynchronisation accepted" : "no partial resynchronisation"}; ${full ? "a full resync" : "no full resync"}`,
  };
}

/** Proof that FAILOVER handed the primary role over: the old primary calls itself a replica of another node with its link up. Pure. */
export function handedOverProof(oldPrimaryIp: string, replication: Map<string, string>, waitedMs: number): FaultProof {
  const role = replication.get("role");
  const master = replication.get("master_host");
  return {
    claim: `FAILOVER handed the primary role over: ${oldPrimaryIp} became a replica of another node, with its link up`,
    held: role === "slave" && master !== undefined && master !== oldPrimaryIp && replication.get("master_link_status") === "up",
    seen: `after ${waitedMs} ms: role ${role ?? "(none)"}, master_host ${master ?? "(none)"}, link ${replication.get("master_link_status") ?? "(none)"}, failover_state ${replication.get("failover_state") ?? "(none)"}`,
  };
}

/** Why the Sentinels are to promote a replica: they agreed the primary was down, or one was asked to (SENTINEL FAILOVER). */
export type PromotionCause = "objective-down" | "requested";

/**
 * Proof of why the Sentinels failed over. A failure they detected leaves "+odown master <name>
 * <old primary>" (a quorum agreed it was down) in a Sentinel's log before that Sentinel's
 * "+switch-master <name> <old primary>"; a requested SENTINEL FAILOVER of a healthy primary leaves
 * none before the switch, or the failover measured was a failure's, not the request's. An +odown
 * with no switch after it (a detection that came to nothing) does not count. Pure.
 */
export function promotionCauseProof(cause: PromotionCause, oldPrimaryIp: string, sentinelLogs: readonly string[]): FaultProof {
  const ip = oldPrimaryIp.replace(/\./g, "\\.");
  const odown = new RegExp(`\\+odown master \\S+ ${ip} `);
  const switched = new RegExp(`\\+switch-master \\S+ ${ip} `);
  const beforeSwitch = sentinelLogs.flatMap((log) => {
    const lines = log.split("\n");
    const switchAt = lines.findIndex((line) => switched.test(line));
    return switchAt < 0 ? [] : lines.slice(0, switchAt).filter((line) => odown.test(line));
  }).map((line) => line.trim());
  const switchedSomewhere = sentinelLogs.some((log) => switched.test(log));
  const seen = !switchedSomewhere ? `no Sentinel logged +switch-master from ${oldPrimaryIp}` : beforeSwitch.length === 0 ? `no Sentinel logged +odown for ${oldPrimaryIp} before its +switch-master` : `${beforeSwitch.length} +odown line(s) for ${oldPrimaryIp} before a +switch-master: ${beforeSwitch[0]}`;
  return cause === "objective-down"
    ? { claim: `a quorum of Sentinels agreed the primary ${oldPrimaryIp} was down (+odown logged before +switch-master)`, held: beforeSwitch.length > 0, seen }
    : { claim: `the failover was the requested one: a Sentinel switched from the healthy primary ${oldPrimaryIp} (+switch-master) and none took it for down before (no +odown)`, held: switchedSomewhere && beforeSwitch.length === 0, seen };
}

/** How a cut-off primary with min-replicas-to-write answered once its replicas went quiet: how many writes it refused, and when the first refusal came. */
export interface Refusals {
  refused: number;
  /** From the fault's start to the first NOREPLICAS reply, in ms; null when none came. */
  firstAfterFaultMs: number | null;
}

/**
 * The writes answered NOREPLICAS (min-replicas-to-write: "Not enough good replicas to write")
 * between the fault and the failover: afterwards the new primary, whose other replica is still
 * being pointed at it, may refuse a few itself. Pure.
 */
export function noReplicasRefusals(history: History, faultAtMs: number, failoverAtMs: number): Refusals {
  const refusals = history.ops.filter((op) => op.type === "fail" && op.atMs >= faultAtMs && op.atMs <= failoverAtMs && /^NOREPLICAS\b/.test(op.error ?? ""));
  // A reduce, not Math.min(...): a knob refusing for seconds can answer more writes than a call takes arguments.
  const firstAtMs = refusals.reduce((first, op) => Math.min(first, op.atMs), Infinity);
  return { refused: refusals.length, firstAfterFaultMs: refusals.length === 0 ? null : firstAtMs - faultAtMs };
}

/**
 * Proof that min-replicas-to-write bit: the cut-off primary refused writes with NOREPLICAS after
 * the cut (without one, what bounded the loss was the failover, not the knob). Pure.
 */
export function refusedWithoutReplicasProof(refusals: Refusals, lagS: number): FaultProof {
  return {
    claim: `the cut-off primary refused writes with NOREPLICAS (min-replicas-to-write 1, min-replicas-max-lag ${lagS}) before the failover ended the partition`,
    held: refusals.refused > 0,
    seen: refusals.firstAfterFaultMs === null ? "no write was answered NOREPLICAS" : `${refusals.refused} writes answered NOREPLICAS, the first ${refusals.firstAfterFaultMs.toFixed(0)} ms after the cut`,
  };
}
