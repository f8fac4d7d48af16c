import type { MatrixRun } from "./build-report.js";
import type { MatrixListener, MatrixPlan } from "./run-matrix.js";
import { cellsToRun, runMatrix } from "./run-matrix.js";

/** One server build to run the matrix on: the id the report names it by, and its resolved image. */
export interface VersionTarget {
  id: string;
  image: { name: string; origin: string };
}

/**
 * Runs the same plan on each version in turn, one after the other (cases measure timing, so never in
 * parallel). Progress counts cases over all versions (n/N); a version still to come is expected to take
 * as long as the finished ones took on average, or as long as the current one is projected to take.
 */
export async function runVersions(plan: Omit<MatrixPlan, "version" | "image">, targets: readonly VersionTarget[], listener: MatrixListener): Promise<MatrixRun[]> {
  const startedAtMs = Date.now();
  const cellsOf = (target: VersionTarget): number => cellsToRun(plan, target.id).length;
  const casesBefore = targets.map((_, k) => targets.slice(0, k).reduce((sum, t) => sum + cellsOf(t) * plan.repetitions, 0));
  const totalCases = targets.reduce((sum, t) => sum + cellsOf(t) * plan.repetitions, 0);
  const several = targets.length > 1;
  const runs: MatrixRun[] = [];
  for (const [k, target] of targets.entries()) {
    const later = targets.length - k - 1;
    const inner: MatrixListener = {
      onCase: (p) => {
        const versionMs = runs.length > 0 ? runs.reduce((sum, r) => sum + r.wallTimeMs, 0) / runs.length : p.elapsedMs + p.remainingMs;
        listener.onCase({
          ...p,
          index: (casesBefore[k] ?? 0) + p.index,
          total: totalCases,
          elapsedMs: Date.now() - startedAtMs,
          remainingMs: p.remainingMs + Math.round(later * versionMs),
          ...(several ? { version: target.id } : {}),
        });
      },
      onNote: (line) => listener.onNote(several ? `${target.id}: ${line}` : line),
    };
    runs.push(await runMatrix({ ...plan, version: target.id, image: target.image }, inner));
  }
  return runs;
}
