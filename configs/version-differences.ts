import type { VersionId } from "../harness/runtime/versions.js";
import { parseVersions } from "../harness/runtime/versions.js";

/** A persistence behaviour that changed between releases, with the source of the change. */
export interface VersionDifference {
  id: string;
  /** The first release with the new behaviour, as "major.minor.patch". */
  since: string;
  before: string;
  after: string;
  source: string;
}

/** What changed across releases, as data: suites look expectations up here instead of branching on versions. */
export const VERSION_DIFFERENCES = {
  multiPartAof: {
    id: "multi-part-aof",
    since: "7.0.0",
    before: "one appendonly.aof file",
    after: "appendonlydir/ with a manifest, a base file and incremental files; an old single-file AOF is upgraded on load",
    source: "Redis 7.0 release notes; redis PR 9788 (multi-part AOF)",
  },
  dirFsyncAfterRename: {
    id: "dir-fsync-after-rename",
    since: "7.0.3",
    before: "rename of dump.rdb / the AOF manifest without fsync of the directory: a power cut can undo a completed snapshot",
    after: "the directory is fsynced after the rename",
    source: "redis issue 3487; fixed by redis PR 10737 (7.0.3); read in the sources: 6.0.16 rdbSave fsyncs temp-<pid>.rdb and renames it, no directory fsync; 7.0.15 calls fsyncFileDir after the rename",
  },
  aclSaveFsync: {
    id: "acl-save-fsync",
    since: "7.2.0",
    before: "ACL SAVE writes the ACL file without fsync: a user created by ACL SAVE can be lost on power loss",
    after: "ACL SAVE fsyncs the file before renaming it",
    source: "Ramos et al., \"When Amnesia Strikes\", PVLDB 17(11), 2024 (lost on 7.0.4); fixed by redis PR 10924 (7.2)",
  },
  shutdownOnSigterm: {
    id: "shutdown-on-sigterm",
    since: "7.0.0",
    before: "no shutdown-on-sigterm option",
    after: "shutdown-on-sigterm default|save|nosave|now|force",
    source: "redis.conf of 7.0",
  },
  failoverCommand: {
    id: "failover-command",
    since: "6.2.0",
    before: "no FAILOVER command",
    after: "FAILOVER: the primary pauses writes, waits for a replica to consume its replication stream, then hands the primary role to it",
    source: "redis.io FAILOVER command docs (available since 6.2.0)",
  },
  shutdownWaitsForReplicas: {
    id: "shutdown-waits-for-replicas",
    since: "7.0.0",
    before: "SHUTDOWN (and SIGTERM) exits without waiting for replicas: what they had not received is only on the primary's disk",
    after: "a primary with lagging replicas pauses writes and waits up to shutdown-timeout (10 s by default) for them to catch up before it exits",
    source: "redis.io SHUTDOWN command docs (behaviour change in 7.0.0: \"Pause clients attempting to write ... Wait up to the configured shutdown-timeout (default 10 seconds) for replicas to catch up the replication offset\"); redis.conf of 7.0, shutdown-timeout",
  },
  waitaof: {
    id: "waitaof",
    since: "7.2.0",
    before: "no WAITAOF",
    after: "WAITAOF blocks until writes are fsynced locally and/or on replicas",
    source: "redis.io WAITAOF command docs (available since 7.2.0)",
  },
} as const satisfies Record<string, VersionDifference>;

/** Valkey forked from Redis 7.2.4: it has every Redis behaviour up to that release. */
const VALKEY_FORKED_FROM = "7.2.4";

/** Whether a server (as serverVersionOf names it: "7.0.15", "valkey 8.1.1") has the behaviour a difference introduced. */
export function hasBehaviour(serverVersion: string, difference: VersionDifference): boolean {
  const redisEquivalent = serverVersion.startsWith("valkey ") ? VALKEY_FORKED_FROM : serverVersion;
  return compareVersions(redisEquivalent, difference.since) >= 0;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The versions `npm test` runs besides the default: REDIS_VERSIONS, else Redis 6.0 (the oldest, with the single-file AOF). */
export function extraVersionsUnderTest(env = process.env.REDIS_VERSIONS): VersionId[] {
  return parseVersions(env ?? "6.0").filter((v) => v !== "default");
}
