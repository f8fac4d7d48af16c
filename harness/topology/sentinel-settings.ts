/** The name the Sentinels monitor the group under; clients ask for the primary by it. */
export const MASTER_NAME = "rp-group";

/** The port every data node listens on inside the group (no remapping inside the group). */
export const DATA_PORT = 6379;

/** The port every Sentinel listens on inside the group. */
export const SENTINEL_PORT = 26379;

/** Sentinels that must agree the primary is down before a failover starts (of three). */
export const QUORUM = 2;

/**
 * How long the primary must fail to answer before a Sentinel flags it down, in ms. Sentinel pings
 * every instance once a second, so anything at or below 1 s would flag a healthy but busy primary;
 * 1.5 s leaves half a ping period of margin on this loaded 2-core machine and keeps a failover
 * (down-after + election + promotion, about 3-5 s) well inside a 30 s cell.
 */
export const DOWN_AFTER_MS = 1_500;

/**
 * Sentinel's failover-timeout, in ms: a failover that stalls is retried after twice this, and the
 * other replicas must be reconfigured within it. The default (3 min) would outlast a cell; 5 s is
 * several times what a promotion takes here, so a healthy failover never hits it.
 */
export const FAILOVER_TIMEOUT_MS = 5_000;

/** One Sentinel's config: monitor the primary at `primaryIp`, announce `ownIp` (its address on the group network). Pure. */
export function sentinelConf(primaryIp: string, ownIp: string): string {
  return [
    `port ${SENTINEL_PORT}`,
    "bind 0.0.0.0",
    "protected-mode no",
    'logfile ""',
    "dir /data",
    // Announce the group address, so Sentinels, replicas and the harness's natMap name one address per node.
    `sentinel announce-ip ${ownIp}`,
    `sentinel announce-port ${SENTINEL_PORT}`,
    `sentinel monitor ${MASTER_NAME} ${primaryIp} ${DATA_PORT} ${QUORUM}`,
    `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
    // Both replicas resync with the new primary at once: convergence is not stretched by a queue.
    `sentinel parallel-syncs ${MASTER_NAME} 2`,
    "",
  ].join("\n");
}

/** The extra redis-server arguments of a data node: announce its group address, and follow `primaryIp` unless it is the primary. Pure. */
export function dataNodeArgs(ownIp: string, primaryIp: string | undefined): string[] {
  const follow = primaryIp ? ["--replicaof", primaryIp, String(DATA_PORT)] : [];
  return ["--replica-announce-ip", ownIp, "--port", String(DATA_PORT), ...follow];
}
