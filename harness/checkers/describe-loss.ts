import type { LossFigures } from "./verdict.js";

/** How a report says what was lost: "none lost", "all 2,041 lost", "12 lost, window 0.4 s", "1,500 lost, window unbounded". */
export function describeLoss(
  figures: Pick<LossFigures, "acknowledged" | "lostAcknowledged" | "lossWindowMs" | "allLost" | "clientsAllLost"> & Partial<Pick<LossFigures, "gaps" | "orderViolations">>,
  formatMs: (ms: number) => string,
): string {
  if (figures.lostAcknowledged === 0) return "none lost";
  const count = figures.lostAcknowledged.toLocaleString("en-US");
  if (figures.allLost) return `all ${count} lost`;
  if (figures.lossWindowMs === null) {
    // A failover window is unbounded also when a client lost its first writes and kept later ones: no client lost everything then.
    if (!figures.clientsAllLost) return `${count} lost, window unbounded (a client lost its first acknowledged writes)`;
    const clients = figures.clientsAllLost === 1 ? "1 client" : `${figures.clientsAllLost} clients`;
    return `${count} lost, window unbounded (${clients} lost every write)`;
  }
  // A window only measures the tail: losses out of order (each client's last write kept) hide behind a small one.
  const outOfOrder = Math.max(figures.gaps ?? 0, figures.orderViolations ?? 0);
  return `${count} lost, window ${formatMs(figures.lossWindowMs)}${outOfOrder > 0 ? `, ${outOfOrder.toLocaleString("en-US")} out of order` : ""}`;
}

/** The loss window as a report cell: the window, "unbounded", or "all lost". */
export function describeWindow(figures: Pick<LossFigures, "lossWindowMs" | "allLost">, formatMs: (ms: number) => string): string {
  if (figures.allLost) return "all lost";
  return figures.lossWindowMs === null ? "unbounded" : formatMs(figures.lossWindowMs);
}
