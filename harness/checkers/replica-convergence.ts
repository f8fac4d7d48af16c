import type { ReadBack } from "../workload/readback.js";
import type { Validity, Verdict } from "./verdict.js";
import { composeValidity } from "./verdict.js";

const EVIDENCE_LIMIT = 5;

/** One replica's copy of the workload's records once it has caught up (or the fact that it did not). */
export interface ReplicaCopy {
  ip: string;
  /** Its records read back, or undefined when it did not reach the primary's replication offset in time. */
  readBack: ReadBack | undefined;
  /** What was seen of its replication offset against the primary's (for the reason). */
  offsets: string;
}

/** Whether every replica holds what the primary holds, with the evidence. */
export interface ConvergenceFinding {
  valid: Validity;
  /** Replicas whose records differ from the primary's. */
  divergent: number;
  reasons: string[];
  evidence: string[];
}

/**
 * Replicas converge to the primary (redis.io replication docs: a replica is "an exact copy" of its
 * master once it has processed the replication stream): after the group settled and the writers
 * stopped, every record the workload invoked must read the same on each caught-up replica as on
 * the primary, and DBSIZE must agree. A replica that differs is its own finding (false: a later
 * failover to it would change the data); one that did not catch up, or fewer copies than the group
 * has replicas, leaves the run unable to tell (unknown): no copy read is no convergence shown. Pure.
 */
export function replicaConvergence(primary: ReadBack, replicas: readonly ReplicaCopy[], expectedReplicas: number): ConvergenceFinding {
  const reasons: string[] = [];
  const evidence: string[] = [];
  const validities: Validity[] = [true];
  let divergent = 0;
  if (replicas.length < expectedReplicas) {
    validities.push("unknown");
    reasons.push(`only ${replicas.length} of the group's ${expectedReplicas} replicas could be read, so the run cannot tell whether the others converged`);
  }
  for (const replica of replicas) {
    if (replica.readBack === undefined) {
      validities.push("unknown");
      reasons.push(`replica ${replica.ip} did not catch up with the primary, so the run cannot tell whether it converged (${replica.offsets})`);
      continue;
    }
    const differing = differingRecords(primary, replica.readBack);
    const sizes = primary.keysInDatabase === replica.readBack.keysInDatabase ? "" : `, DBSIZE ${replica.readBack.keysInDatabase} against the primary's ${primary.keysInDatabase}`;
    if (differing.length === 0 && sizes === "") continue;
    divergent++;
    validities.push(false);
    reasons.push(`replica ${replica.ip} diverges from the primary after catching up (${replica.offsets}): ${differing.length} record(s) differ${sizes}`);
    evidence.push(...differing.slice(0, EVIDENCE_LIMIT).map((d) => `replica ${replica.ip} ${d}`));
  }
  return { valid: composeValidity(...validities), divergent, reasons, evidence };
}

// "client:seq: primary <what>, replica <what>" for every record the two read differently.
function differingRecords(primary: ReadBack, replica: ReadBack): string[] {
  const keys = new Set([...primary.values.keys(), ...replica.values.keys()]);
  const out: string[] = [];
  for (const key of keys) {
    const a = primary.values.get(key) ?? null;
    const b = replica.values.get(key) ?? null;
    if (a === b) continue;
    out.push(a !== null && b !== null ? `${key}: the values differ` : `${key}: ${a === null ? "missing on the primary, present on the replica" : "present on the primary, missing on the replica"}`);
  }
  return out;
}

/** A verdict with the replicas' convergence folded in: a divergent replica breaks it, one that did not catch up makes it unknown. Pure. */
export function withReplicaConvergence(verdict: Verdict, finding: ConvergenceFinding): Verdict {
  return {
    ...verdict,
    valid: composeValidity(verdict.valid, finding.valid),
    reasons: [...verdict.reasons, ...finding.reasons],
    evidence: [...verdict.evidence, ...finding.evidence],
  };
}
