/**
 * The margin on the slowest measured shutdown, the same as the gate's grace hazard (`graceHazard` in
 * harness/gate/hazards.ts raises the grace "above shutdown x 1.5"): datasets grow and disks slow down.
 */
export const GRACE_MARGIN = 1.5;

/** The rule in words, as every rendering states it. */
export const GRACE_RULE = `the slowest measured shutdown x ${GRACE_MARGIN}, rounded up to whole seconds (docker stop -t, stop_grace_period and terminationGracePeriodSeconds count whole seconds), at least 1 s`;

/** The grace to give for a slowest measured shutdown (ms): x GRACE_MARGIN, rounded up to whole seconds, at least 1 s. Pure. */
export function recommendedGraceMs(slowestShutdownMs: number): number {
  return Math.max(1, Math.ceil((slowestShutdownMs * GRACE_MARGIN) / 1000 - 1e-9)) * 1000;
}

/** A deployment's stop grace held against a measured shutdown: what the gate states. Times in ms. */
export interface GraceFigure {
  datasetMiB: number;
  graceMs: number;
  shutdownMs: number;
  /** recommendedGraceMs(shutdownMs). */
  recommendedGraceMs: number;
  /** graceMs - shutdownMs: what is left when the shutdown runs as measured (negative: the stop ends in SIGKILL). */
  marginMs: number;
  /** "enough": grace >= the recommendation; "tight": the shutdown fits but without the margin; "short": it does not fit. */
  verdict: "enough" | "tight" | "short";
  /** The disk the shutdown was measured on: the caveat. */
  disk: string;
  text: string;
}

/**
 * The gate's figure for the user's deployment: its dataset size and grace, the measured shutdown,
 * the margin left, and the grace to give by the sweep's rule (GRACE_RULE). Pure.
 */
export function graceFigure(input: { datasetMiB: number; graceMs: number; shutdownMs: number; disk: string }): GraceFigure {
  const { datasetMiB, graceMs, shutdownMs, disk } = input;
  const recommended = recommendedGraceMs(shutdownMs);
  const marginMs = graceMs - shutdownMs;
  const verdict = graceMs < shutdownMs ? "short" : graceMs < recommended ? "tight" : "enough";
  const measured = `with ${datasetMiB} MiB the shutdown took ${seconds(shutdownMs)}`;
  const give = `give at least ${seconds(recommended)} (the shutdown x ${GRACE_MARGIN}, in whole seconds)`;
  const caveat = `measured on ${disk}: a slower disk or more data needs more`;
  const text =
    verdict === "short"
      ? `${measured}; the grace of ${seconds(graceMs)} is ${seconds(-marginMs)} short, so a stop ends in SIGKILL before the shutdown finishes: ${give}; ${caveat}`
      : verdict === "tight"
        ? `${measured}; the grace of ${seconds(graceMs)} leaves ${seconds(marginMs)}, less than the ${GRACE_MARGIN}x margin: ${give}; ${caveat}`
        : `${measured}; the grace of ${seconds(graceMs)} leaves ${seconds(marginMs)}, enough (${give}); ${caveat}`;
  return { datasetMiB, graceMs, shutdownMs, recommendedGraceMs: recommended, marginMs, verdict, disk, text };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
