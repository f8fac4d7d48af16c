import { randomUUID } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/** Label keys put on every container, volume and network this project creates. */
export const LABEL = {
  suite: "org.redis-persistence.suite",
  run: "org.redis-persistence.run",
  ownerPid: "org.redis-persistence.owner-pid",
  host: "org.redis-persistence.host",
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

/**
 * Names the pid namespace an owner pid means something in: the hostname, the kernel's boot id (a
 * reboot reuses pids) and the pid namespace's inode (two job containers with one hostname, e.g.
 * `--uts=host`, still differ). Two hosts sharing one engine differ in it.
 */
export function hostId(): string {
  cachedHostId ??= readHostId();
  return cachedHostId;
}

let cachedHostId: string | undefined;

function readHostId(): string {
  let boot = "";
  let pidNamespace = "";
  try {
    boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    pidNamespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // No procfs (macOS): the hostname alone.
  }
  return [hostname(), boot, pidNamespace].filter((part) => part !== "").join("/");
}

/** A run as a lease names it: two hosts may give their runs one id (REDIS_PERSISTENCE_RUN_ID from a pipeline). */
export function leaseKey(host: string, run: string): string {
  return `${host}\n${run}`;
}

/** The labels for one created object. */
export function runLabels(role: string): Record<string, string> {
  return { [LABEL.suite]: "true", [LABEL.run]: runId(), [LABEL.ownerPid]: String(ownerPid()), [LABEL.host]: hostId(), [LABEL.role]: role };
}
