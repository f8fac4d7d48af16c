import type { Redis } from "ioredis";

/** What makes a write "acknowledged": the SET's reply, or a WAIT after it reporting at least one replica. */
export type AckPolicy = "reply" | "wait-1";

/** Every ack policy, in the order reports list them. */
export const ACK_POLICIES: readonly AckPolicy[] = ["reply", "wait-1"];

/**
 * How long WAIT waits for a replica, in ms. A healthy replica acknowledges within milliseconds
 * (the primary asks for REPLCONF ACK as soon as a WAIT is pending); 1 s is far above that and
 * short enough that writers cut off from every replica still record an outcome per second.
 */
export const WAIT_TIMEOUT_MS = 1_000;

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

/** The ack policy of that name, or an error listing the known ones. */
export function ackPolicyNamed(name: string): AckPolicy {
  if (!(ACK_POLICIES as readonly string[]).includes(name)) throw new Error(`unknown ack policy "${name}"; known: ${ACK_POLICIES.join(", ")}`);
  return name as AckPolicy;
}
