import type { Redis } from "ioredis";

/**
 * What makes a write "acknowledged": the SET's reply; a WAIT after it reporting at least one
 * replica; or a WAITAOF 1 1 after it reporting the write fsynced to the local AOF and to at least
 * one replica's (Redis 7.2 and later).
 */
export type AckPolicy = "reply" | "wait-1" | "waitaof-1-1";

/** Every ack policy, in the order reports list them. */
export const ACK_POLICIES: readonly AckPolicy[] = ["reply", "wait-1", "waitaof-1-1"];

/** The ack policies a run takes without --acks: those every server this suite knows has (WAITAOF is 7.2+, the default build is 7.0). */
export const DEFAULT_ACK_POLICIES: readonly AckPolicy[] = ["reply", "wait-1"];

/** Whether a policy needs WAITAOF (Redis 7.2+, every Valkey): a cell on an older server is refused with the reason. */
export function needsWaitaof(policy: AckPolicy): boolean {
  return policy === "waitaof-1-1";
}

/**
 * How long WAIT waits for a replica, in ms. A healthy replica acknowledges within milliseconds
 * (the primary asks for REPLCONF ACK as soon as a WAIT is pending); 1 s is far above that and
 * short enough that writers cut off from every replica still record an outcome per second.
 */
export const WAIT_TIMEOUT_MS = 1_000;

/**
 * How long WAITAOF waits, in ms: WAIT's 1 s. Under appendfsync always both sides fsync before they
 * answer, so a write is reported in milliseconds; under everysec it waits for the once-a-second
 * fsync on the primary and then on a replica, and many writes come back unknown. A longer timeout
 * (2.5 s was tried) left the cut-off primary of primary-partition with every writer blocked in
 * WAITAOF until the failover, so the partition could not show what it acknowledged.
 */
export const WAITAOF_TIMEOUT_MS = WAIT_TIMEOUT_MS;

/**
 * A write function for startWriters under `policy`. `wait-1`: SET, then WAIT 1 on the same
 * connection; fewer than one replica within the timeout records the write as `info`, never `fail`:
 * the primary has applied it (it may well survive, e.g. replicated just after the timeout), only its
 * replication is unconfirmed, and a `fail` found after recovery would read as a refused write that
 * was applied anyway. An error of WAIT itself (the connection broke) also leaves it unknown: it is
 * rethrown as a plain Error, so that the writer records `info` and, following a failover, reconnects.
 */
export function writeUnder(policy: AckPolicy): (redis: Redis, key: string, value: string) => Promise<string | undefined> {
  if (policy === "reply") {
    return async (redis, key, value) => void (await redis.set(key, value));
  }
  if (policy === "waitaof-1-1") return writeThenWaitaof;
  return async (redis, key, value) => {
    await redis.set(key, value);
    let replicas: number;
    try {
      replicas = await redis.wait(1, WAIT_TIMEOUT_MS);
    } catch (error) {
      throw new Error(`applied by the primary, then WAIT failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return replicas >= 1 ? undefined : `applied by the primary, but WAIT 1 ${WAIT_TIMEOUT_MS} reported ${replicas} replicas`;
  };
}

/**
 * SET, then WAITAOF 1 1 on the same connection: acknowledged once the write is fsynced to the
 * primary's AOF and at least one replica's. Fewer within the timeout leaves it `info`, as under
 * wait-1; so does an error of WAITAOF itself (its refusal on a server with appendonly off, too).
 */
async function writeThenWaitaof(redis: Redis, key: string, value: string): Promise<string | undefined> {
  await redis.set(key, value);
  let counts: unknown;
  try {
    counts = await redis.call("WAITAOF", "1", "1", String(WAITAOF_TIMEOUT_MS));
  } catch (error) {
    throw new Error(`applied by the primary, then WAITAOF failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const [local, replicas] = Array.isArray(counts) ? counts.map(Number) : [];
  return local !== undefined && local >= 1 && replicas !== undefined && replicas >= 1
    ? undefined
    : `applied by the primary, but WAITAOF 1 1 ${WAITAOF_TIMEOUT_MS} reported ${local ?? "?"} local and ${replicas ?? "?"} replica fsyncs`;
}

/** The ack policy of that name, or an error listing the known ones. */
export function ackPolicyNamed(name: string): AckPolicy {
  if (!(ACK_POLICIES as readonly string[]).includes(name)) throw new Error(`unknown ack policy "${name}"; known: ${ACK_POLICIES.join(", ")}`);
  return name as AckPolicy;
}
