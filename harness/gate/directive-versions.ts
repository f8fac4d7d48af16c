/**
 * When a server release first (or last) knew a directive, for Redis 6.0 on and Valkey.
 * `redis`: first Redis release whose config.c knows it (null: Redis never did); `redisUntil`: the
 * last release line ("6.2") that knows it, when a later line dropped it (every patch release of that
 * line still knows it: 6.2.17 and later came after the last one read here); `valkey`: first Valkey release that knows it (null:
 * never). Directives every Redis 6.0.0..8.0 and every Valkey knows are not listed.
 */
export interface DirectiveVersions {
  redis: string | null;
  redisUntil?: string;
  valkey: string | null;
}

/**
 * Every directive of the stock redis.conf of Redis 6.0 to 8.0 and valkey.conf that some of those
 * releases do not know, active or commented out. Sources (read, not guessed):
 * - which directives: redis/redis `redis.conf` at 6.0.20, 6.2.16, 7.0.15, 7.2.6, 7.4.1 and the 8.0
 *   branch (30eb6c3, 7.9.224), valkey-io/valkey `valkey.conf` at 8.0.1 and unstable (55bbbe0);
 * - since when: the names config.c declares (`create*Config("name", "alias", ...)`, the
 *   `strcasecmp(argv[0], ...)` directives and the deprecated list) in redis/redis `src/config.c` at
 *   every release tag 6.0.0..7.4.1 and the 8.0 branch, and valkey-io/valkey `src/config.c` at 7.2.5,
 *   8.0.0 and unstable. Valkey's first release, 7.2.4, is Redis 7.2.4's code: "7.2.4" below was
 *   read at Valkey's 7.2.5 tag.
 * Checked on the 7.0.15 image: `locale-collate ""` and `gopher-enabled no` both give "Bad directive
 * or wrong number of arguments".
 */
export const DIRECTIVE_VERSIONS: Readonly<Record<string, DirectiveVersions>> = {
  "acl-pubsub-default": { redis: "6.2.0", valkey: "7.2.4" },
  "aof-timestamp-enabled": { redis: "7.0.0", valkey: "7.2.4" },
  "appenddirname": { redis: "7.0.0", valkey: "7.2.4" },
  "availability-zone": { redis: null, valkey: "8.0.0" },
  "bind-source-addr": { redis: "7.0.0", valkey: "7.2.4" },
  "busy-reply-threshold": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-allow-pubsubshard-when-down": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-allow-replica-migration": { redis: "6.2.2", valkey: "7.2.4" },
  "cluster-announce-client-ipv4": { redis: null, valkey: "8.0.0" },
  "cluster-announce-client-ipv6": { redis: null, valkey: "8.0.0" },
  "cluster-announce-hostname": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-announce-human-nodename": { redis: "7.2.0", valkey: "7.2.4" },
  "cluster-announce-tls-port": { redis: "6.2.2", valkey: "7.2.4" },
  "cluster-blacklist-ttl": { redis: null, valkey: "8.0.0" },
  "cluster-link-sendbuf-limit": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-port": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-preferred-endpoint-type": { redis: "7.0.0", valkey: "7.2.4" },
  "cluster-slot-stats-enabled": { redis: null, valkey: "8.0.0" },
  "crash-log-enabled": { redis: "6.2.0", valkey: "7.2.4" },
  "crash-memcheck-enabled": { redis: "6.2.0", valkey: "7.2.4" },
  "disable-thp": { redis: "6.2.0", valkey: "7.2.4" },
  "dual-channel-replication-enabled": { redis: null, valkey: "8.0.0" },
  "enable-debug-command": { redis: "7.0.0", valkey: "7.2.4" },
  "enable-module-command": { redis: "7.0.0", valkey: "7.2.4" },
  "enable-protected-configs": { redis: "7.0.0", valkey: "7.2.4" },
  "extended-redis-compatibility": { redis: null, valkey: "8.0.0" },
  "gopher-enabled": { redis: "6.0.0", redisUntil: "6.2", valkey: null },
  "hash-max-listpack-entries": { redis: "7.0.0", valkey: "7.2.4" },
  "hash-max-listpack-value": { redis: "7.0.0", valkey: "7.2.4" },
  "hide-user-data-from-log": { redis: "7.4.0", valkey: "8.0.0" },
  "ignore-warnings": { redis: "6.0.10", valkey: "7.2.4" },
  "latency-tracking": { redis: "7.0.0", valkey: "7.2.4" },
  "latency-tracking-info-percentiles": { redis: "7.0.0", valkey: "7.2.4" },
  "lazyfree-lazy-user-flush": { redis: "6.2.0", valkey: "7.2.4" },
  "list-max-listpack-size": { redis: "7.0.0", valkey: "7.2.4" },
  "locale-collate": { redis: "7.2.0", valkey: "7.2.4" },
  "max-new-connections-per-cycle": { redis: "7.4.0", valkey: "8.0.0" },
  "max-new-tls-connections-per-cycle": { redis: "7.4.0", valkey: "8.0.0" },
  "maxmemory-clients": { redis: "7.0.0", valkey: "7.2.4" },
  "maxmemory-eviction-tenacity": { redis: "6.2.0", valkey: "7.2.4" },
  "oom-score-adj": { redis: "6.0.7", valkey: "7.2.4" },
  "oom-score-adj-values": { redis: "6.0.7", valkey: "7.2.4" },
  "prefetch-batch-max-size": { redis: null, valkey: "8.0.0" },
  "primaryauth": { redis: null, valkey: "8.0.0" },
  "primaryuser": { redis: null, valkey: "8.0.0" },
  "proc-title-template": { redis: "6.2.0", valkey: "7.2.4" },
  "propagation-error-behavior": { redis: "7.0.0", valkey: "7.2.4" },
  "repl-diskless-sync-max-replicas": { redis: "7.0.0", valkey: "7.2.4" },
  "replica-announced": { redis: "6.2.2", valkey: "7.2.4" },
  "replica-ignore-disk-write-errors": { redis: "7.0.0", valkey: "7.2.4" },
  "sanitize-dump-payload": { redis: "6.2.0", valkey: "7.2.4" },
  "set-max-listpack-entries": { redis: "7.2.0", valkey: "7.2.4" },
  "set-max-listpack-value": { redis: "7.2.0", valkey: "7.2.4" },
  "set-proc-title": { redis: "6.2.0", valkey: "7.2.4" },
  "shutdown-on-sigint": { redis: "7.0.0", valkey: "7.2.4" },
  "shutdown-on-sigterm": { redis: "7.0.0", valkey: "7.2.4" },
  "shutdown-timeout": { redis: "7.0.0", valkey: "7.2.4" },
  "socket-mark-id": { redis: "7.0.0", valkey: "7.2.4" },
  "tls-client-cert-file": { redis: "6.2.0", valkey: "7.2.4" },
  "tls-client-key-file": { redis: "6.2.0", valkey: "7.2.4" },
  "tls-client-key-file-pass": { redis: "6.2.2", valkey: "7.2.4" },
  "tls-key-file-pass": { redis: "6.2.2", valkey: "7.2.4" },
  "tls-session-cache-size": { redis: "6.0.6", valkey: "7.2.4" },
  "tls-session-cache-timeout": { redis: "6.0.6", valkey: "7.2.4" },
  "tls-session-caching": { redis: "6.0.6", valkey: "7.2.4" },
  "unixsocketgroup": { redis: null, valkey: "8.0.0" },
  "zset-max-listpack-entries": { redis: "7.0.0", valkey: "7.2.4" },
  "zset-max-listpack-value": { redis: "7.0.0", valkey: "7.2.4" },
};
