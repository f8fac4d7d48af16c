import type { ServiceCaseResult } from "../../harness/service/run-service-case.js";

/** One line of figures per service case, printed whatever the verdict. */
export function formatServiceCaseLine(mode: string, result: ServiceCaseResult): string {
  const { figures } = result.verdict;
  return `service on ${mode} x ${result.name}: ${figures.acknowledged} acked, ${figures.lostAcknowledged} lost, ${figures.keysInDatabase} found, recovery ${result.recoveryMs} ms`;
}

/** The message of a failed service case: the verdict's reasons and evidence, and the answers that disagree with Redis. */
export function formatServiceCaseFailure(mode: string, result: ServiceCaseResult, source: string): string {
  return [
    `service on ${mode} x ${result.name}: verdict ${String(result.verdict.valid)}`,
    ...result.verdict.reasons.map((reason) => `  - ${reason}`),
    ...result.verdict.evidence.map((line) => `    ${line}`),
    ...result.mismatches.map((line) => `  ! ${line}`),
    `  figures: ${JSON.stringify(result.verdict.figures)}`,
    `  contract source: ${source}`,
  ].join("\n");
}
