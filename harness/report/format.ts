import type { ReportVersion, Stat } from "./report.js";
import type { Validity } from "../checkers/verdict.js";

/** "0 ms", "850 ms", "1.5 s", "15 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  return `${trimZero((ms / 60_000).toFixed(1))} min`;
}

/** A loss bound: "everything" when unbounded. */
export function formatBound(ms: number | null): string {
  return ms === null ? "unbounded" : formatMs(ms);
}

/** "950/s", "18.2k/s". */
export function formatRate(perSecond: number): string {
  return perSecond < 1000 ? `${Math.round(perSecond)}/s` : `${trimZero((perSecond / 1000).toFixed(1))}k/s`;
}

/** "512 B", "3.4 KiB", "70.1 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "m:ss" for progress lines. */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The median, with the spread when there was more than one repetition: "12 (9-15)". */
export function formatStat(stat: Stat, format: (value: number) => string = (v) => String(Math.round(v))): string {
  return stat.n > 1 && stat.min !== stat.max ? `${format(stat.median)} (${format(stat.min)}-${format(stat.max)})` : format(stat.median);
}

/** "valid", "VIOLATED", "unknown", "not applicable". */
export function formatVerdict(validity: Validity): string {
  return validity === true ? "valid" : validity === false ? "VIOLATED" : validity === "not-applicable" ? "not applicable" : "unknown";
}

/** A cell's loss window: "all lost" when some repetition lost everything, "unbounded", else the (spread of the) window. */
export function formatWindow(figures: { lossWindowMs: Stat | null; allLost: boolean }, spread = false): string {
  if (figures.allLost) return "all lost";
  if (figures.lossWindowMs === null) return "unbounded";
  return spread ? formatStat(figures.lossWindowMs, formatMs) : formatMs(figures.lossWindowMs.median);
}

/** "Redis 6.0.16", "Valkey 8.1.1": the server a version's cells reported, else the id it was given. */
export function versionLabel(version: ReportVersion): string {
  const server = version.serverVersion;
  if (server === "unknown") return version.id;
  return server.startsWith("valkey ") ? `Valkey ${server.slice("valkey ".length)}` : `Redis ${server}`;
}

/** The label of the version with this id among `versions`; the id itself if none has it. */
export function versionLabelOf(versions: readonly ReportVersion[], id: string): string {
  const version = versions.find((v) => v.id === id);
  return version ? versionLabel(version) : id;
}

function trimZero(text: string): string {
  return text.replace(/\.0$/, "");
}
