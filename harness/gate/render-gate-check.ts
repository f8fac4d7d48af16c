import { formatBound, formatMs } from "../report/format.js";
import type { GateCheck } from "./gate-report.js";

const STATUS: Record<GateCheck["outcome"], string> = { pass: "PASS", fail: "FAIL", "not-applicable": "N/A " };
const INDENT = " ".repeat(32);

/**
 * One check for a person: the head line names the side(s) that decided ("documented: ..." /
 * "measured: ..."), the next line the other side; then why, what to change, and the artifacts.
 */
export function renderGateCheck(check: GateCheck, maxLossMs: number): string[] {
  const sides = { documented: documentedText(check, maxLossMs), measured: measuredText(check, maxLossMs) };
  const first = check.outcome === "fail" ? check.decidedBy : (["measured", "documented"] as const);
  const rest = (["documented", "measured"] as const).filter((side) => !first.includes(side));
  const out = [`  ${STATUS[check.outcome]}  ${check.fault.padEnd(24)} ${first.map((side) => `${side}: ${sides[side]}`).join("; ")}`];
  out.push(...rest.map((side) => `${INDENT}${side}: ${sides[side]}`));
  if (check.outcome === "pass") return out;
  out.push(...check.reasons.map((r) => `        why: ${r}`));
  out.push(...check.advice.map((a) => `        change: ${a}`));
  if (check.artifactsDir) out.push(`        artifacts: ${check.artifactsDir}`);
  return out;
}

/** "nothing acknowledged: ... (0 ms)", or with ", over the 1 s bound" when it breaks it. */
export function documentedText(check: Pick<GateCheck, "documented">, maxLossMs: number): string {
  const { maxMs, text, withinBound } = check.documented;
  return `${text} (${formatBound(maxMs)})${withinBound ? "" : `, over the ${formatMs(maxLossMs)} bound`}`;
}

/** "all 24,345 acknowledged writes lost", "12 of 20,000 acknowledged writes lost, loss window 0.4 s: 0.2 s over the 0.2 s bound", ... */
export function measuredText(check: GateCheck, maxLossMs: number): string {
  if (check.validity === "not-applicable") return `not applicable (${check.reasons.find((r) => r.startsWith("not applicable"))?.replace(/^not applicable: /, "") ?? "the fault had nothing to do here"})`;
  if (check.acknowledged === 0) return `could not tell: ${check.reasons[0] ?? "no write was acknowledged"}`;
  const count = (n: number): string => n.toLocaleString("en-US");
  let text: string;
  if (check.lostAcknowledged === 0) text = `none of ${count(check.acknowledged)} acknowledged writes lost`;
  else if (check.allLost) text = `all ${count(check.lostAcknowledged)} acknowledged writes lost`;
  else if (check.lossWindowMs === null) {
    const clients = check.clientsAllLost === 1 ? "1 client" : `${check.clientsAllLost} clients`;
    text = `${count(check.lostAcknowledged)} of ${count(check.acknowledged)} acknowledged writes lost, window unbounded (${clients} lost every write)`;
  } else text = `${count(check.lostAcknowledged)} of ${count(check.acknowledged)} acknowledged writes lost, loss window ${formatMs(check.lossWindowMs)}`;
  if (check.overByMs !== null) text += `: ${formatMs(check.overByMs)} over the ${formatMs(maxLossMs)} bound`;
  if (check.measurements.stopExitCode === 137) text += "; the stop ended in SIGKILL at the end of the grace";
  // A total loss is a fact even when the run was too short to hold it to the bound; anything else unknown is no answer.
  return check.validity === "unknown" && check.lossWindowMs !== null ? `could not tell (see why): ${text}` : text;
}
