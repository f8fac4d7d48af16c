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
  const byClient = new Map<number, WriteOutcome[]>();
  for (const w of writes) {
    if (w.result !== "ok" || w.completedAtMs === undefined) continue;
    byClient.set(w.client, [...(byClient.get(w.client) ?? []), w]);
  }
  let window: number | null = 0;
  for (const acked of byClient.values()) {
    const lost = acked.filter((w) => w.found !== "intact");
    if (lost.length === 0) continue;
    const firstLostAt = Math.min(...lost.map((w) => w.completedAtMs as number));
    const lastLostAt = Math.max(...lost.map((w) => w.completedAtMs as number));
    const before = acked.filter((w) => w.found === "intact" && (w.completedAtMs as number) < firstLostAt);
    if (before.length === 0) return null;
    const lastSurvivingAt = Math.max(...before.map((w) => w.completedAtMs as number));
    window = Math.max(window, lastLostAt - lastSurvivingAt);
  }
  return window;
}
