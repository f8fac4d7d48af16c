import type { ModeSpec } from "../../configs/modes.js";
import { describeLoss } from "../checkers/describe-loss.js";
import { describeVolumeDisk } from "../grace/disk.js";
import { describeRates } from "../grace/grace-estimate.js";
import { buildGraceSection } from "../grace/grace-section.js";
import type { GraceProgress, GraceSweepPlan } from "../grace/run-grace-sweep.js";
import { expectedGraceSweepMs, plannedCells, runGraceSweep, sweepableModes } from "../grace/run-grace-sweep.js";
import { describeStop } from "../grace/stop-outcome.js";
import { formatClock, formatMs, formatVerdict } from "../report/format.js";
import type { GraceSection } from "../report/grace-report.js";
import { UsageError } from "./exit-codes.js";
import type { CliIo } from "./session-scope.js";

/** The sweep's plan from the matrix options; refuses a mode list with nothing to sweep. */
export function graceSweepPlan(image: string, modes: ModeSpec[], options: { gracesMs: number[]; datasetSizesMiB: number[] }, repetitions: number): GraceSweepPlan {
  const { swept, notApplicable } = sweepableModes(modes);
  if (swept.length === 0) {
    throw new UsageError(`matrix --graces: none of the modes (${modes.map((m) => m.mode).join(", ")}) has a final save for the grace to cut short; add rdb or rdb-aof to --modes (${notApplicable[0]?.reason ?? ""})`);
  }
  return { image, modes, gracesMs: options.gracesMs, datasetSizesMiB: options.datasetSizesMiB, repetitions };
}

/** The line printed before anything starts: what the sweep covers and how long it should take here. */
export function graceSweepAnnouncement(plan: GraceSweepPlan): string {
  const cells = plannedCells(plan);
  const { swept, notApplicable } = sweepableModes(plan.modes);
  const skipped = notApplicable.length > 0 ? `; not swept (no final save): ${notApplicable.map((n) => n.mode).join(", ")}` : "";
  return (
    `[grace] stop-grace sweep after the matrix: ${swept.length} mode(s) (${swept.map((m) => m.mode).join(", ")}) x ${plan.datasetSizesMiB.length} size(s) (${plan.datasetSizesMiB.join(", ")} MiB) x ` +
    `${plan.gracesMs.length} grace(s) (${plan.gracesMs.map((g) => g / 1000).join(", ")} s) x ${plan.repetitions} = ${cells.length} stops, expected ~${formatClock(expectedGraceSweepMs(plan))} ` +
    `(at the rates measured on the reference machine: ${describeRates()}; a slower disk takes longer)${skipped}\n`
  );
}

/** "[grace 3/36] rdb 256 MiB, grace 1 s: killed during the final save after 1.5 s; 34,210 lost of 80,000 acked, valid, recovery 1.3 s | 1:02 elapsed, ~10:30 left". */
export function graceProgressLine(p: GraceProgress): string {
  const r = p.result;
  const f = r.verdict.figures;
  const width = String(p.total).length;
  const what = p.error ? `could not run: ${p.error}` : `${describeStop(r.stop, formatMs)}; ${describeLoss(f, formatMs)} of ${f.acknowledged.toLocaleString("en-US")} acked, ${formatVerdict(r.verdict.valid)}, recovery ${formatMs(r.recoveryMs)}`;
  return `[grace ${String(p.index).padStart(width)}/${p.total}] ${r.mode} ${r.datasetMiB} MiB, grace ${r.graceMs / 1000} s${r.repetition > 1 ? ` (repetition ${r.repetition})` : ""}: ${what} | ${formatClock(p.elapsedMs)} elapsed, ~${formatClock(p.remainingMs)} left`;
}

/** Runs the sweep with a progress line per stop and returns the report section, the disk named. */
export async function runGraceSection(plan: GraceSweepPlan, io: CliIo): Promise<GraceSection> {
  const disk = await describeVolumeDisk();
  io.err(`[grace] volumes on ${disk.description}\n`);
  const run = await runGraceSweep(plan, (progress) => io.err(`${graceProgressLine(progress)}\n`));
  return buildGraceSection(run, disk.description);
}

/** Whether every stop of the sweep held its contract. */
export function graceHeld(section: GraceSection | undefined): boolean {
  return section === undefined || section.cells.every((c) => c.verdict === true && c.consistent);
}
