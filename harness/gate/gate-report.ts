import type { GraceFigure } from "../grace/grace-rule.js";
import type { Validity } from "../checkers/verdict.js";
import type { ConfExplanation } from "./explain-conf.js";
import type { Decider } from "./gate-verdict.js";
import type { Hazard } from "./hazards.js";
import type { GateDeploymentSummary } from "./run-gate.js";

/** The version of the gate's JSON (`--json`); bumped on any change that breaks a reader (docs/gate-ci.md). */
export const GATE_SCHEMA_VERSION = 2;

/** Redis's documented worst case for one fault on this config, held to the bound. Times in ms. */
export interface DocumentedCheck {
  /** null: unbounded (everything since the start, or since the last snapshot with no timer). */
  maxMs: number | null;
  text: string;
  withinBound: boolean;
}

/** One fault run on the config, held to the bound on both sides: documented and measured. Times in ms. */
export interface GateCheck {
  fault: string;
  description: string;
  /** pass: both sides within the bound; fail: either broke it; not-applicable: the fault had nothing to do here (never a pass). */
  outcome: "pass" | "fail" | "not-applicable";
  /** outcome === "pass". */
  passed: boolean;
  /** The side(s) that broke the bound; both for a pass; none for not-applicable. */
  decidedBy: Decider[];
  documented: DocumentedCheck;
  /** The measured verdict against the bound: "unknown" when the run could not tell. */
  validity: Validity;
  acknowledged: number;
  lostAcknowledged: number;
  /** null: unbounded, some client lost every acknowledged write (see allLost, clientsAllLost). */
  lossWindowMs: number | null;
  /** Every acknowledged write was lost (and some were acknowledged). */
  allLost: boolean;
  clientsAllLost: number;
  /** Lost acknowledged writes contradicted by a later-invoked survivor of any client. */
  orderViolations: number;
  /** Writes answered with an error (MISCONF, OOM) found after recovery. */
  refusedRecovered: number;
  /** How far a bounded loss window went past the bound; null when within it or unbounded. */
  overByMs: number | null;
  recoveryMs: number;
  /** What the fault measured itself, e.g. `stopExitCode` (0: clean, 137: killed at the end of the grace). */
  measurements: Record<string, number | string>;
  /** Why the measured verdict is what it is; empty when valid. */
  reasons: string[];
  advice: string[];
  artifactsDir?: string;
}

/** The gate's JSON output (`--json`), schema version 2. Times in ms. */
export interface GateReport {
  schemaVersion: typeof GATE_SCHEMA_VERSION;
  configFile: string;
  /** True only when every check passed or was not applicable, at least one passed, and no hazard fails the gate. */
  passed: boolean;
  /** Why it did not pass: failing checks, then hazards that fail the gate; empty when it passed. */
  failures: string[];
  maxLossMs: number;
  contract: string;
  graceMs: number;
  datasetMiB: number;
  image: string;
  /** The image's server version ("7.0.15", "valkey 8.1.1"). */
  serverVersion: string;
  explanation: ConfExplanation;
  hazards: Hazard[];
  /** Lines appended to the config so the harness can connect; persistence untouched. */
  overrides: string[];
  shutdownMs: number;
  /** The grace against the measured shutdown, by the grace sweep's rule (the shutdown x 1.5). */
  grace: GraceFigure;
  checks: GateCheck[];
  /** Things that did not fail the gate but a reader should know. */
  notes: string[];
  /** Set when the gate judged a deployment as written (compose, Kubernetes, --command): which one, its image, storage, grace and PID 1. */
  deployment?: GateDeploymentSummary;
}
