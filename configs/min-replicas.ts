import type { SourcedContract } from "./modes.js";

/** The `min-replicas-max-lag` values the failover matrix and npm test run with `min-replicas-to-write 1`, in seconds. */
export const MIN_REPLICAS_LAGS_S = [2, 10] as const;

/** A `min-replicas-max-lag` in whole seconds (npm test runs MIN_REPLICAS_LAGS_S; the matrix takes any). */
export type MinReplicasLagS = number;

/** The lines that turn the knob on, appended to a mode's config on every node. */
export function minReplicasLines(lagS: MinReplicasLagS): string[] {
  return ["min-replicas-to-write 1", `min-replicas-max-lag ${lagS}`];
}

/** The row name of a mode with the knob on, as reports list it. */
export function withMinReplicasName(mode: string, lagS: MinReplicasLagS): string {
  return `${mode}+min-replicas-${lagS}s`;
}

/**
 * The contract of a cut-off primary's acknowledged writes with `min-replicas-to-write 1`: it stops
 * accepting writes once no replica has acknowledged within max-lag, and the lag is counted from the
 * replicas' pings, sent about once a second, so what it acknowledged after the cut (and the failover
 * then discards) spans at most about max-lag + 1 s: the issue's and the documentation's bound. The
 * server counts in whole seconds and checks once a second, which can add up to a second more: a
 * measured break of the documented bound is recorded (FINDINGS.minReplicasWindow), not widened.
 */
export function minReplicasContract(lagS: MinReplicasLagS): SourcedContract {
  return {
    contract: { kind: "failover-window", maxMs: (lagS + 1) * 1_000 },
    source: `redis.conf (min-replicas-to-write / min-replicas-max-lag): a master can "stop accepting writes if there are less than N replicas connected, having a lag less or equal than M seconds"; "The lag in seconds, that must be <= the specified value, is calculated from the last ping received from the replica, that is usually sent every second"; it "will limit the window of exposure for lost writes in case not enough replicas are available, to the specified number of seconds"; redis.io Sentinel docs (Consistency under partitions): with min-replicas-to-write 1 and min-replicas-max-lag 10 the old master "will become unavailable after 10 seconds"; max-lag plus the ping period: ${lagS} s + 1 s`,
  };
}

/** How far past the documented bound the server's whole-second counting can take the window (FINDINGS.minReplicasWindow), in ms. */
export const MIN_REPLICAS_FINDING_SLACK_MS = 1_000;
