import { keysBesideRecords } from "./loss.js";
import type { LossAnalysis } from "./loss.js";
import type { Validity } from "./verdict.js";

const EVIDENCE_LIMIT = 10;

/** One finding of the evicted-only contract. */
export interface EvictionFinding {
  valid: Validity;
  reason?: string;
  evidence?: string[];
}

/**
 * Whether every key gone (lost acknowledged writes and missing preloaded keys) can have been
 * evicted: no more than `evictedKeys`, the count Redis reported (INFO stats evicted_keys over the
 * run). Without that count the run cannot tell. Pure.
 */
export function lostOnlyToEviction(analysis: LossAnalysis, preloadedKeys: number, evictedKeys: number | string | undefined): EvictionFinding {
  const evicted = typeof evictedKeys === "number" ? evictedKeys : Number.NaN;
  if (!Number.isFinite(evicted)) {
    return { valid: "unknown", reason: "the run did not measure how many keys Redis evicted (INFO stats evicted_keys), so it cannot tell eviction from loss" };
  }
  const lost = analysis.lostAcknowledged.filter((w) => w.found === "missing");
  const { preloaded: otherKeys, stray } = keysBesideRecords(analysis);
  if (otherKeys > preloadedKeys || stray !== 0) {
    return { valid: false, reason: `${Math.max(0, otherKeys - preloadedKeys) + stray} keys came back that neither the preload nor the writers wrote` };
  }
  const gone = lost.length + (preloadedKeys - otherKeys);
  if (gone <= evicted) return { valid: true };
  return {
    valid: false,
    reason: `${gone} keys are gone (${lost.length} acknowledged writes, ${preloadedKeys - otherKeys} preloaded keys) but Redis evicted only ${evicted}: something other than eviction lost ${gone - evicted}`,
    evidence: lost.slice(0, EVIDENCE_LIMIT).map((w) => `client ${w.client} seq ${w.seq} (ok): missing`),
  };
}
