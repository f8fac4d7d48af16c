import { EVERYSEC_WORST_CASE_MS } from "../../configs/modes.js";
import type { Validity } from "../checkers/verdict.js";
import type { EffectiveConf } from "./effective-conf.js";
import type { ConfExplanation } from "./explain-conf.js";
import { isVolumeDir } from "./hazards.js";

/** What the advice for one broken bound needs to know. Times in ms. */
export interface AdviceContext {
  fault: string;
  /** The measured verdict; "unknown" when the run could not tell (e.g. no write was acknowledged). */
  validity: Validity;
  /** Acknowledged writes of the run: with none, the run says nothing about the config. */
  acknowledged: number;
  conf: EffectiveConf;
  explanation: ConfExplanation;
  maxLossMs: number;
  graceMs: number;
  shutdownMs: number | null;
  /** For a deployment whose data dir does not survive a new container: what to mount (its storage hazard's fix). */
  storageFix?: string;
  /** For a deployment whose storage a restart of its container empties (a tmpfs; Kubernetes with no volume): what to mount. */
  restartStorageFix?: string;
  /** For a deployment whose stops never reach the server (a `sh -c` without exec): how to let SIGTERM through. */
  stopFix?: string;
}

const CRASHES = new Set(["sigkill", "short-grace", "power-loss", "fork-under-memory-limit"]);
const STOPS = new Set(["graceful-stop", "recreate-same-volume"]);
const RESTARTS = new Set(["graceful-stop", "sigkill", "short-grace", "fork-under-memory-limit"]);

/** What to change in the config (or the deployment) so that this fault stays within the bound. Pure. */
export function adviceFor(ctx: AdviceContext): string[] {
  if (ctx.validity === "unknown" && ctx.acknowledged === 0) {
    return ["no write was acknowledged, so the loss could not be measured: check `rename-command`, ACL and `maxmemory` lines that could refuse SET, and the Redis log in the artifacts"];
  }
  const at = (line: number | undefined): string => (line === undefined ? "" : ` (line ${line})`);
  const fsync = ctx.maxLossMs >= EVERYSEC_WORST_CASE_MS ? "everysec" : "always";
  const turnOnAof = `set \`appendonly yes\`${at(ctx.conf.appendonly.line)} with \`appendfsync ${fsync}\`${fsync === "always" ? " (nothing acknowledged is lost)" : " (about 1 s, 2 s worst case)"}`;
  const advice: string[] = [];
  // No setting keeps files that the restarted container's storage no longer has.
  if (RESTARTS.has(ctx.fault) && ctx.restartStorageFix !== undefined && ctx.validity !== true) return [ctx.restartStorageFix];
  if (ctx.fault === "recreate-without-volume") return ["mount a named volume at /data: no setting in redis.conf survives losing the data dir"];
  if (ctx.explanation.mode === "none") return [`turn persistence on: ${turnOnAof}`];
  if (ctx.fault.startsWith("memory-pressure")) {
    return [`set \`maxmemory-policy noeviction\`${at(ctx.conf.maxmemoryPolicy.line)}: writes past \`maxmemory\` then get an OOM error the client sees, instead of keys deleted behind its back`];
  }
  if (ctx.fault === "fork-under-memory-limit") {
    advice.push("keep a fork within the container's memory limit: `maxmemory` at most half of it (a BGSAVE or AOF rewrite under writes can take up to twice the memory), or raise the limit");
  }
  if (ctx.fault === "power-loss" && ctx.conf.appendonly.value === "yes" && ctx.conf.noAppendfsyncOnRewrite.value === "yes") {
    advice.push(`set \`no-appendfsync-on-rewrite no\`${at(ctx.conf.noAppendfsyncOnRewrite.line)}: with \`yes\` nothing is fsynced while a rewrite or BGSAVE runs`);
  }
  if (CRASHES.has(ctx.fault)) {
    switch (ctx.explanation.mode) {
      case "rdb":
        advice.push(`snapshots alone lose everything written since the last one on a crash (${ctx.explanation.processCrash.maxMs === null ? "no time bound here" : `up to ${ctx.explanation.processCrash.maxMs / 1000} s here`}): ${turnOnAof}`);
        break;
      case "aof-no":
        if (ctx.fault === "power-loss") {
          advice.push(`\`appendfsync no\`${at(ctx.conf.appendfsync.line)} leaves fsync to the OS, so a power cut loses what it had not flushed: set \`appendfsync ${fsync}\``);
          break;
        }
        advice.push(`set \`appendfsync always\`${at(ctx.conf.appendfsync.line)}: only it bounds the loss below ${EVERYSEC_WORST_CASE_MS / 1000} s`);
        break;
      case "aof-everysec":
      case "rdb-aof":
        advice.push(`set \`appendfsync always\`${at(ctx.conf.appendfsync.line)}: only it bounds the loss below ${EVERYSEC_WORST_CASE_MS / 1000} s`);
        break;
      case "aof-always":
        if (ctx.validity === false) advice.push("appendfsync always lost acknowledged writes: that is a Redis or storage bug, not a setting; keep the artifacts and report it");
        break;
    }
  }
  if (STOPS.has(ctx.fault)) {
    if (/\bnosave\b/.test(ctx.conf.shutdownOnSigterm.value)) advice.push(`remove \`nosave\` from \`shutdown-on-sigterm\`${at(ctx.conf.shutdownOnSigterm.line)}`);
    if (ctx.shutdownMs !== null && ctx.shutdownMs > ctx.graceMs) {
      advice.push(`raise the stop grace (docker stop -t, stop_grace_period, terminationGracePeriodSeconds) above the measured shutdown of ${(ctx.shutdownMs / 1000).toFixed(1)} s, with room to grow`);
    }
    if (ctx.stopFix !== undefined) advice.push(ctx.stopFix);
    if (ctx.fault === "recreate-same-volume" && ctx.storageFix !== undefined) advice.push(ctx.storageFix);
    else if (ctx.fault === "recreate-same-volume" && !isVolumeDir(ctx.conf.dir.value)) advice.push(`set \`dir /data\`${at(ctx.conf.dir.line)} so the files land on the volume`);
    if (advice.length === 0) advice.push("a clean stop should lose nothing with this config: keep the artifacts (Redis log, data dir listing) and look for a failed final save");
  }
  return advice;
}
