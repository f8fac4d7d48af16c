import type { CellResult } from "../../harness/cell/run-cell.js";

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
