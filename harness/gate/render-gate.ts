import { formatMs } from "../report/format.js";
import type { GateConfigError } from "./gate-config-error.js";
import type { GateReport } from "./gate-report.js";
import type { Hazard } from "./hazards.js";
import { renderGateCheck } from "./render-gate-check.js";

/** The gate's verdict for a person: the config explained, its hazards by line, each fault's result and what to change. */
export function renderGate(report: GateReport): string {
  const e = report.explanation;
  const out = [
    `gate: ${report.configFile}, max loss ${formatMs(report.maxLossMs)} (${report.contract}), stop grace ${formatMs(report.graceMs)}`,
    ...renderDeployment(report),
    "",
    `This config is ${e.mode}: ${e.summary}.`,
    `  on a process crash it can lose ${e.processCrash.text}`,
    `  on a power cut it can lose ${e.powerLoss.text}`,
    `  shutdown (docker stop) measured with ${report.datasetMiB} MiB: ${formatMs(report.shutdownMs)}`,
    `  stop grace: ${report.grace.text}`,
    "",
    ...renderHazards(report.hazards),
    `Faults, on ${report.image} (${report.serverVersion.startsWith("valkey ") ? `Valkey ${report.serverVersion.slice(7)}` : `Redis ${report.serverVersion}`}), ${report.datasetMiB} MiB preloaded:`,
  ];
  for (const check of report.checks) out.push(...renderGateCheck(check, report.maxLossMs));
  out.push("", ...report.notes.map((n) => `note: ${n}`));
  out.push(report.passed ? `PASS: every fault within ${formatMs(report.maxLossMs)}, documented and measured` : `FAIL (max loss ${formatMs(report.maxLossMs)}): ${report.failures.join("; ")}`);
  return `${out.join("\n")}\n`;
}

/** A config the gate could not run, for a person: the line, the text and Redis's message. */
export function renderGateConfigError(error: GateConfigError): string {
  return `${error.message}\n`;
}

function renderDeployment(report: GateReport): string[] {
  const d = report.deployment;
  if (!d) return [];
  const named = d.image !== undefined ? `image ${d.image}${d.version !== undefined ? ` (${d.server === "valkey" ? "Valkey" : "Redis"} ${d.version})` : ""}` : "no image named";
  const storage = d.storage.kind === "none" ? "no volume" : `${d.storage.kind}${d.storage.source !== undefined ? ` ${d.storage.source}` : ""}${d.storage.mountPath !== undefined ? ` at ${d.storage.mountPath}` : ""}`;
  return [
    `deployment: ${d.kind} ${d.name}${d.file !== undefined ? ` (${d.file})` : ""}, ${named}`,
    `  data dir ${d.dataDir} on ${storage}; stop grace ${formatMs(d.stopGrace.ms)} from ${d.stopGrace.source}; PID 1 ${d.pid1.process} (SIGTERM ${d.pid1.sigterm})`,
    ...(d.storage.ranOn !== undefined ? [`  the faults run with dir /data on ${d.storage.ranOn}`] : []),
    ...(d.imageNote !== undefined ? [`  ${d.imageNote}`] : []),
  ];
}

function renderHazards(hazards: Hazard[]): string[] {
  if (hazards.length === 0) return ["Hazards: none found by reading the config.", ""];
  return [
    "Hazards:",
    ...hazards.flatMap((h) => [
      `  ${h.severity.padEnd(7)} ${(h.at !== undefined ? "" : h.line !== undefined ? `line ${h.line}` : "default").padEnd(9)} ${h.kind}: ${h.message}`,
      ...(h.at !== undefined ? [`${" ".repeat(20)}at: ${h.at}`] : []),
      ...(h.failsGate ? [`${" ".repeat(20)}fails the gate: no loss bound holds with this, whatever the faults measure`] : []),
      `${" ".repeat(20)}fix: ${h.fix}`,
    ]),
    "",
  ];
}
