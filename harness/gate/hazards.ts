import path from "node:path";
import type { EffectiveConf, Setting } from "./effective-conf.js";
import type { ConfExplanation } from "./explain-conf.js";
import { evictionHazard } from "./eviction-hazard.js";

/** A setting that can lose data (durability) or expose it (security), with the line and what to do. */
export interface Hazard {
  id: string;
  kind: "durability" | "security";
  /** danger: loses or exposes data on ordinary events; warning: on rarer ones, or it hides problems. */
  severity: "danger" | "warning";
  /** The line that causes it; undefined when Redis's default causes it. */
  line?: number;
  /** Where the deployment wrote it ("compose.yml:14", "flag 2 `--appendonly yes` (compose.yml:9)"), for a deployment's effective settings; replaces `line` in what is shown. */
  at?: string;
  message: string;
  fix: string;
  /** True when the hazard defeats any loss bound by itself (persistence off, files off the volume): it fails the gate. */
  failsGate: boolean;
}

/** The path the official image mounts its volume on (and its working directory). */
export const VOLUME_DIR = "/data";

const GUARDED_COMMANDS = ["SAVE", "BGSAVE", "SHUTDOWN"];

/** The durability and security hazards a config shows by reading it alone. Pure. */
export function findHazards(conf: EffectiveConf, explanation: ConfExplanation): Hazard[] {
  const hazards: Hazard[] = [];
  const aof = conf.appendonly.value === "yes";
  const add = (hazard: Omit<Hazard, "line" | "failsGate"> & { failsGate?: true }, setting?: Setting<unknown> | number): void => {
    const line = typeof setting === "number" ? setting : setting?.line;
    const full: Hazard = { ...hazard, failsGate: hazard.failsGate ?? false };
    hazards.push(line === undefined ? full : { ...full, line });
  };

  if (explanation.mode === "none") {
    add(
      {
        id: "persistence-off",
        kind: "durability",
        severity: "danger",
        message: "persistence is off (`save \"\"` and `appendonly no`): every restart starts empty",
        fix: "set `appendonly yes` with `appendfsync always` (lose nothing) or `everysec` (lose up to ~2 s)",
        failsGate: true,
      },
      conf.saveLines.at(-1) ?? conf.appendonly.line,
    );
  }
  for (const line of conf.ignoredSaveLines) {
    add(
      {
        id: "save-line-ignored",
        kind: "durability",
        severity: "warning",
        message: "this `save` line is skipped without a word by Redis before 7.0, which takes one `<seconds> <changes>` pair (or `\"\"`) per line: its save points do not exist",
        fix: "write one `save <seconds> <changes>` line per pair (and no comment after it), or run Redis 7.0 or later",
      },
      line,
    );
  }
  if (aof && conf.appendfsync.value === "no") {
    add(
      {
        id: "appendfsync-no",
        kind: "durability",
        severity: "warning",
        message: "`appendfsync no` leaves fsync to the OS: a power cut or kernel crash loses what it had not written back (typically up to ~30 s)",
        fix: "use `appendfsync everysec` (~1-2 s) or `always` (nothing acknowledged lost)",
      },
      conf.appendfsync,
    );
  }
  if (!isVolumeDir(conf.dir.value)) {
    add(
      {
        id: "dir-not-on-volume",
        kind: "durability",
        severity: "danger",
        message: `\`dir ${conf.dir.value}\` is not ${VOLUME_DIR}, where the image mounts its volume: the files stay in the container and are gone when it is recreated`,
        fix: `set \`dir ${VOLUME_DIR}\` (or mount the volume at ${conf.dir.value})`,
        // Faults that restart the same container keep its layer, and fault-fs covers only /data: no measurement sees this.
        failsGate: true,
      },
      conf.dir,
    );
  }
  if (conf.stopWritesOnBgsaveError.value === "no" && conf.savePoints.length > 0) {
    add(
      {
        id: "stop-writes-on-bgsave-error-no",
        kind: "durability",
        severity: aof ? "warning" : "danger",
        message: "`stop-writes-on-bgsave-error no`: when snapshots fail (full disk, permissions) writes go on being acknowledged while nothing is saved",
        fix: "remove the line (the default `yes` refuses writes with MISCONF until a snapshot succeeds)",
      },
      conf.stopWritesOnBgsaveError,
    );
  }
  if (aof && conf.aofLoadTruncated.value === "no") {
    add(
      {
        id: "aof-load-truncated-no",
        kind: "durability",
        severity: "warning",
        message: "`aof-load-truncated no`: after a crash that truncates the AOF's last command, Redis refuses to start until someone runs redis-check-aof --fix",
        fix: "remove the line (the default `yes` drops the truncated command and starts)",
      },
      conf.aofLoadTruncated,
    );
  }
  if (aof && conf.noAppendfsyncOnRewrite.value === "yes") {
    add(
      {
        id: "no-appendfsync-on-rewrite",
        kind: "durability",
        severity: "warning",
        message: "`no-appendfsync-on-rewrite yes`: no fsync while an AOF rewrite or BGSAVE runs, so a power cut then loses up to ~30 s",
        fix: "set `no-appendfsync-on-rewrite no`",
      },
      conf.noAppendfsyncOnRewrite,
    );
  }
  if (/\bnosave\b/.test(conf.shutdownOnSigterm.value)) {
    add(
      {
        id: "shutdown-on-sigterm-nosave",
        kind: "durability",
        severity: aof ? "warning" : "danger",
        message: "`shutdown-on-sigterm nosave`: `docker stop` skips the final snapshot, so every restart loses what came after the last one",
        fix: "remove `nosave` from `shutdown-on-sigterm`",
      },
      conf.shutdownOnSigterm,
    );
  }
  if (conf.rdbchecksum.value === "no" && conf.savePoints.length > 0) {
    add(
      {
        id: "rdbchecksum-no",
        kind: "durability",
        severity: "warning",
        message: "`rdbchecksum no`: a corrupted snapshot loads without an error",
        fix: "remove the line (the default `yes` refuses to load a corrupted RDB)",
      },
      conf.rdbchecksum,
    );
  }
  const eviction = evictionHazard(conf);
  if (eviction) hazards.push(eviction);
  for (const renamed of conf.renamedCommands.filter((r) => GUARDED_COMMANDS.includes(r.command))) {
    const what = renamed.to === "" ? "disabled" : `renamed to ${renamed.to}`;
    add(
      {
        id: "persistence-command-renamed",
        kind: "durability",
        severity: "warning",
        message: `${renamed.command} is ${what}: backups, operators and \`redis-cli ${renamed.command.toLowerCase()}\` that call it fail (signals still save)`,
        fix: `drop the \`rename-command ${renamed.command}\` line, or make every tool that calls ${renamed.command} use the new name`,
      },
      renamed.line,
    );
  }
  if (conf.protectedMode.value === "no" && conf.requirepass.value === "" && conf.aclLines.length === 0 && bindsPublicly(conf.bind.value)) {
    add(
      {
        id: "open-without-password",
        kind: "security",
        severity: "warning",
        message: `\`protected-mode no\` with no \`requirepass\` or ACL users, listening on ${conf.bind.value.join(" ")}: anyone who reaches the port can read, overwrite or FLUSHALL the data`,
        fix: "set `requirepass` (or ACL users), or bind to loopback / a private network only",
      },
      conf.protectedMode,
    );
  }
  return hazards;
}

/** The hazard when a shutdown, measured, takes longer than the orchestrator's stop grace. */
export function graceHazard(conf: EffectiveConf, shutdownMs: number, graceMs: number, datasetMiB: number): Hazard | undefined {
  if (shutdownMs <= graceMs) return undefined;
  const snapshots = conf.savePoints.length > 0;
  const hazard: Hazard = {
    id: "stop-grace-shorter-than-shutdown",
    kind: "durability",
    severity: snapshots ? "danger" : "warning",
    message:
      `the shutdown took ${formatSeconds(shutdownMs)} with ${datasetMiB} MiB of data, longer than the stop grace of ${formatSeconds(graceMs)}: ` +
      (snapshots ? "the orchestrator kills Redis during its final save, which loses what came after the last completed snapshot" : "the orchestrator kills Redis before it exits cleanly"),
    fix: `raise the stop grace above ${formatSeconds(shutdownMs * 1.5)} (docker stop -t, compose stop_grace_period, Kubernetes terminationGracePeriodSeconds)`,
    // The stop faults' documented bound turns into the crash bound instead (documented-bound.ts).
    failsGate: false,
  };
  const line = conf.saveLines.at(-1);
  return line === undefined ? hazard : { ...hazard, line };
}

/** True when `dir` is the volume (or relative to the image's working directory, which is the volume). */
export function isVolumeDir(dir: string): boolean {
  const resolved = path.posix.resolve(VOLUME_DIR, dir);
  return resolved === VOLUME_DIR || resolved.startsWith(`${VOLUME_DIR}/`);
}

function bindsPublicly(addresses: string[]): boolean {
  return addresses.some((raw) => {
    const address = raw.replace(/^-/, "");
    return !(address.startsWith("127.") || address === "::1" || address === "localhost");
  });
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
