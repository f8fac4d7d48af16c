import { describeLoss } from "../../harness/checkers/describe-loss.js";
import type { ServiceCaseResult } from "../../harness/service/run-service-case.js";

const ms = (value: number): string => `${Math.round(value)} ms`;

/** One line of figures per service case, printed whatever the verdict. */
export function formatServiceCaseLine(mode: string, result: ServiceCaseResult): string {
  const { figures } = result.verdict;
  return (
    `service on ${mode} x ${result.name}: ${figures.acknowledged} acked, ${describeLoss(figures, ms)}, ${figures.keysInDatabase} found, recovery ${result.recoveryMs} ms` +
    (result.notes.length ? ` | ${result.notes.join("; ")}` : "")
  );
}

/** The message of a failed service case: the verdict's reasons and evidence, and what the service's answers showed. */
export function formatServiceCaseFailure(mode: string, result: ServiceCaseResult, source: string): string {
  return [
    `service on ${mode} x ${result.name}: verdict ${String(result.verdict.valid)}, ${describeLoss(result.verdict.figures, ms)}`,
    ...result.verdict.reasons.map((reason) => `  - ${reason}`),
    ...result.verdict.evidence.map((line) => `    ${line}`),
    ...result.notes.map((line) => `  ! ${line}`),
    `  figures: ${JSON.stringify(result.verdict.figures)}`,
    `  contract source: ${source}`,
  ].join("\n");
}

/** The message of the reference-only check over a mode's cases: every answer that disagrees with Redis. */
export function formatReferenceMismatches(mode: string, results: readonly ServiceCaseResult[]): string {
  const lines = results.flatMap((r) => (r.referenceMismatches ?? []).map((line) => `  ${r.name}: ${line}`));
  return [`service on ${mode}: the reference's answers that disagree with what Redis holds`, ...lines].join("\n");
}
