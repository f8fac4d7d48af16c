import type { WriteOutcome } from "./loss.js";

/** A lost acknowledged write and a write that survived although it was invoked after that acknowledgement. */
export interface OrderViolation {
  lost: WriteOutcome;
  /** The earliest-invoked survivor sent after `lost` was acknowledged. */
  survivor: WriteOutcome;
}

/**
 * Real-time order across clients, as Jepsen's checkers read a history: if A was acknowledged
 * before B was invoked and B survived, one AOF or one snapshot must hold A too. Returns one
 * violation per lost acknowledged write that some later-invoked survivor contradicts. Pure.
 */
export function realTimeOrderViolations(writes: readonly WriteOutcome[]): OrderViolation[] {
  const survivors = writes.filter((w) => w.found === "intact").sort((a, b) => a.invokeAtMs - b.invokeAtMs);
  if (survivors.length === 0) return [];
  const latestInvoke = survivors.at(-1)?.invokeAtMs ?? -Infinity;
  const violations: OrderViolation[] = [];
  for (const lost of writes) {
    if (lost.result !== "ok" || lost.found === "intact" || lost.completedAtMs === undefined) continue;
    const ackedAt = lost.completedAtMs;
    if (latestInvoke <= ackedAt) continue;
    const survivor = survivors[firstInvokedAfter(survivors, ackedAt)];
    if (survivor) violations.push({ lost, survivor });
  }
  return violations.sort((a, b) => (a.lost.completedAtMs ?? 0) - (b.lost.completedAtMs ?? 0));
}

// Binary search: the index of the first survivor invoked strictly after `atMs`.
function firstInvokedAfter(sortedSurvivors: readonly WriteOutcome[], atMs: number): number {
  let low = 0;
  let high = sortedSurvivors.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sortedSurvivors[mid]?.invokeAtMs ?? Infinity) > atMs) high = mid;
    else low = mid + 1;
  }
  return low;
}
