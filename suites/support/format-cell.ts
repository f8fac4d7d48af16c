import type { CellResult } from "../../harness/cell/run-cell.js";
import { describeLoss } from "../../harness/checkers/describe-loss.js";

const ms = (value: number): string => `${Math.round(value)} ms`;

/** One line of measured figures per case, printed whatever the verdict. */
export function formatCellLine(result: CellResult): string {
  const { figures } = result.verdict;
  return (
    `${result.mode} x ${result.fault}: ${figures.acknowledged} acked, ${describeLoss(figures, ms)}, ` +
    `${result.throughput.opsPerSecond} writes/s, recovery ${result.recoveryMs} ms, Redis ${result.serverVersion}` +
    (result.notApplicable ? ` | not applicable: ${result.notApplicable}` : "") +
    (result.proofs.length ? ` | proved: ${result.proofs.map((p) => `${p.held ? "yes" : "NO"} (${p.seen})`).join("; ")}` : "")
  );
}

/** The message a failed case prints: why, evidence, and where the artifacts are. */
export function formatCellFailure(result: CellResult): string {
  return [
    `${result.mode} x ${result.fault} on ${result.image} (Redis ${result.serverVersion}): verdict ${String(result.verdict.valid)}`,
    ...result.verdict.reasons.map((reason) => `  - ${reason}`),
    ...result.verdict.evidence.map((line) => `    ${line}`),
    `  figures: ${JSON.stringify(result.verdict.figures)}`,
    `  contract source: ${result.contractSource}`,
    result.artifactsDir ? `  artifacts: ${result.artifactsDir}` : "",
  ].join("\n");
}
