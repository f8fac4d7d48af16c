/**
 * Directives flagged MULTI_ARG_CONFIG in src/config.c (redis/redis 7.0.1 to the 8.0 branch, and
 * valkey-io/valkey), with the aliases config.c declares for them (`slaveof`). For these, a single
 * non-empty argument is split again with sdssplitargs, so `save "900 1"` is `save 900 1`.
 */
export const MULTI_ARG_DIRECTIVES: ReadonlySet<string> = new Set([
  "save",
  "bind",
  "client-output-buffer-limit",
  "oom-score-adj-values",
  "replicaof",
  "slaveof",
  "latency-tracking-info-percentiles",
  "shutdown-on-sigint",
  "shutdown-on-sigterm",
]);

/**
 * Whether a server splits a quoted multi-value argument: Redis 7.0.1 on (commit bfbb15f75, PR 10660)
 * and every Valkey. Before, 6.x takes `save "900 1"` as a `save` line with no pair (it clears the
 * defaults) and 7.0.0 rejects it. An unknown version reads as Redis 7.
 */
export function splitsQuotedMultiArg(serverVersion: string | undefined): boolean {
  if (serverVersion === undefined || /valkey/i.test(serverVersion)) return true;
  const [major = 0, minor = 0, patch = 0] = (/(\d+)\.(\d+)\.(\d+)/.exec(serverVersion) ?? []).slice(1).map(Number);
  return major > 7 || (major === 7 && (minor > 0 || patch >= 1));
}

/**
 * The arguments as config.c hands them to a multi-arg directive: one non-empty argument split by
 * `split` (sdssplitargs, which yields nothing on unbalanced quotes), anything else unchanged. Pure.
 */
export function splitMultiArg(name: string, args: string[], split: (text: string) => string[] | null): string[] {
  const [only] = args;
  if (!MULTI_ARG_DIRECTIVES.has(name) || args.length !== 1 || only === undefined || only === "") return args;
  return split(only) ?? [];
}
