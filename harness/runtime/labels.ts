import { randomUUID } from "node:crypto";

/** Label keys put on every container, volume and network this project creates. */
export const LABEL = {
  suite: "org.redis-persistence.suite",
  run: "org.redis-persistence.run",
  ownerPid: "org.redis-persistence.owner-pid",
  role: "org.redis-persistence.role",
} as const;

/** The id of this run: set once by the test setup or the CLI and inherited by workers. */
export function runId(): string {
  process.env.REDIS_PERSISTENCE_RUN_ID ??= randomUUID().slice(0, 8);
  return process.env.REDIS_PERSISTENCE_RUN_ID;
}

/** The pid that owns what this run creates: the long-lived parent, so a sweep can tell live runs from dead ones. */
export function ownerPid(): number {
  process.env.REDIS_PERSISTENCE_OWNER_PID ??= String(process.pid);
  return Number(process.env.REDIS_PERSISTENCE_OWNER_PID);
}

/** The labels for one created object. */
export function runLabels(role: string): Record<string, string> {
  return { [LABEL.suite]: "true", [LABEL.run]: runId(), [LABEL.ownerPid]: String(ownerPid()), [LABEL.role]: role };
}
