import type { WriteOutcome } from "./loss.js";

/**
 * The loss window of a failover, in ms: per client, from its last surviving acknowledged write
 * before its first lost one to its last lost acknowledged write; the maximum over clients (0 when
 * nothing acknowledged was lost, null when a client lost every acknowledged write up to its first
 * loss). analyzeLoss measures back from the fault, which fits one server; after a failover a
 * client's later writes to the new primary survive, so that measure would shrink to nothing while
 * the old primary's acknowledgements were lost over seconds (a partition). Pure.
 */
export function failoverLossWindowMs(writes: readonly WriteOutcome[]): number | null {
  // One pass per client, no spread arguments: a long partition acknowledges hundreds of thousands of writes.
  const byClient = new Map<number, WriteOutcome[]>();
  for (const w of writes) {
    if (w.result !== "ok" || w.completedAtMs === undefined) continue;
    const acked = byClient.get(w.client);
    if (acked) acked.push(w);
    else byClient.set(w.client, [w]);
  }
  let window: number | null = 0;
  for (const acked of byClient.values()) {
    let firstLostAt = Infinity;
    let lastLostAt = -Infinity;
    for (const w of acked) {
      if (w.found === "intact") continue;
      firstLostAt = Math.min(firstLostAt, w.completedAtMs as number);
      lastLostAt = Math.max(lastLostAt, w.completedAtMs as number);
    }
    // Every acknowledged write before the first loss survived. A client that lost nothing spans -Infinity (no window).
    let lastSurvivingAt = -Infinity;
    for (const w of acked) if ((w.completedAtMs as number) < firstLostAt) lastSurvivingAt = Math.max(lastSurvivingAt, w.completedAtMs as number);
    if (lastSurvivingAt === -Infinity) return null;
    window = Math.max(window, lastLostAt - lastSurvivingAt);
  }
  return window;
}

/**
 * A failover cell's loss window, in ms: the larger of the failover window and the single-server
 * window measured back from the fault (analyzeLoss), unbounded (null) when either is. The failover
 * window alone drops the time a writer stalled before the fault, which the measure back from the
 * fault counts (a restart without failover, where nobody writes after the fault); after a failover
 * that measure shrinks instead, so neither alone is the whole loss. Pure.
 */
export function failoverCellLossWindowMs(measuredBackFromFaultMs: number | null, writes: readonly WriteOutcome[]): number | null {
  const failover = failoverLossWindowMs(writes);
  return measuredBackFromFaultMs === null || failover === null ? null : Math.max(measuredBackFromFaultMs, failover);
}
