import { formatMs } from "../report/format.js";
import type { Hazard } from "./hazards.js";
import type { GateConfigError, GateReport } from "./run-gate.js";

/** The gate's verdict for a person: the config explained, its hazards by line, each fault's result and what to change. */
export function renderGate(report: GateReport): string {
  const e = report.explanation;
  const out = [
    `gate: ${report.configFile}, max loss ${formatMs(report.maxLossMs)} (${report.contract}), stop grace ${formatMs(report.graceMs)}`,
    "",
    `This config is ${e.mode}: ${e.summary}.`,
    `  on a process crash it can lose ${e.processCrash.text}`,
    `  on a power cut it can lose ${e.powerLoss.text}`,
    `  shutdown (docker stop) measured with ${report.datasetMiB} MiB: ${formatMs(report.shutdownMs)}`,
    "",
    ...renderHazards(report.hazards),
    `Faults, on ${report.image} (Redis ${report.serverVersion}), ${report.datasetMiB} MiB preloaded:`,
  ];
  for (const check of report.checks) {
    const head = `  ${check.passed ? "PASS" : "FAIL"}  ${check.fault.padEnd(22)}`;
    if (check.passed) {
      out.push(`${head} ${check.lostAcknowledged} of ${check.acknowledged} acknowledged writes lost (loss window ${formatMs(check.lossWindowMs)})`);
      continue;
    }
    const over = check.overByMs !== null ? `: ${formatMs(check.overByMs)} over the ${formatMs(report.maxLossMs)} bound` : "";
    out.push(`${head} ${check.lostAcknowledged} of ${check.acknowledged} acknowledged writes lost, loss window ${formatMs(check.lossWindowMs)}${over}`);
    out.push(...check.reasons.map((r) => `        why: ${r}`));
    out.push(...check.advice.map((a) => `        change: ${a}`));
    if (check.artifactsDir) out.push(`        artifacts: ${check.artifactsDir}`);
  }
  out.push("", ...report.notes.map((n) => `note: ${n}`));
  const failed = report.checks.filter((c) => !c.passed);
  out.push(
    report.passed
      ? `PASS: every measured loss is within ${formatMs(report.maxLossMs)}`
      : `FAIL: ${failed.map((c) => c.fault).join(", ")} broke the ${formatMs(report.maxLossMs)} bound (${failed.length} of ${report.checks.length} faults)`,
  );
  return `${out.join("\n")}\n`;
}

/** A config the gate could not run, for a person: the line, the text and Redis's message. */
export function renderGateConfigError(error: GateConfigError): string {
  return `${error.message}\n`;
}

function renderHazards(hazards: Hazard[]): string[] {
  if (hazards.length === 0) return ["Hazards: none found by reading the config.", ""];
  return [
    "Hazards:",
    ...hazards.flatMap((h) => [`  ${h.severity.padEnd(7)} ${(h.line !== undefined ? `line ${h.line}` : "default").padEnd(9)} ${h.kind}: ${h.message}`, `${" ".repeat(20)}fix: ${h.fix}`]),
    "",
  ];
}
