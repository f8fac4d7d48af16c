import type { ImageServer } from "./server-version.js";
import { compareVersions, describeServer } from "./server-version.js";
import { versionProblem } from "./unknown-directive.js";
import { isOpenMajor, lineOfTag } from "./floating-tag.js";

/** One build the gate can run on: its id (a VersionId) and the server and version it really gives. */
export interface BuildCandidate {
  id: string;
  server: ImageServer;
}

/** What is to be run: which server, the version it names (or the config was written for), and the directives the config uses. */
export interface BuildWanted {
  flavor: ImageServer["flavor"];
  /** "7.2", "7" (the newest 7.x: 7.4, since that major has ended) or "7.2.4"; undefined when nothing names one. */
  version?: string;
  directives: readonly string[];
}

/** The build picked, and why as a noun phrase: "the nearest build that knows every directive the config uses (Redis 8.0.2; ...)". */
export interface BuildChoice {
  build: BuildCandidate;
  /** same-line: of the wanted major.minor; nearest: another that knows every directive; none-knows-all: the nearest, though none knows them all. */
  kind: "same-line" | "nearest" | "none-knows-all";
  why: string;
}

/**
 * The build to run on: the one of the same server and major.minor as wanted, else the nearest that
 * knows every directive the config uses (newer lines first: a later release knows what an earlier one
 * did, and keeps its defaults more often than an older one has them), else the nearest at all. No
 * version wanted: the newest that knows them. Undefined when no candidate is of that server. Pure.
 */
export function chooseBuild(asked: BuildWanted, candidates: readonly BuildCandidate[]): BuildChoice | undefined {
  const wanted = asked.version === undefined ? asked : { ...asked, version: lineOfTag(asked.flavor, asked.version) };
  const pool = candidates.filter((c) => c.server.flavor === wanted.flavor);
  const order = wanted.version === undefined ? [...pool].sort((a, b) => compareVersions(b.server.version, a.server.version)) : byNearness(pool, wanted.version);
  const [nearest] = order;
  if (!nearest) return undefined;
  const unknownTo = (c: BuildCandidate): string | undefined => wanted.directives.find((d) => versionProblem(d, c.server) !== undefined);
  const fit = order.find((c) => unknownTo(c) === undefined);
  const sameLine = wanted.version !== undefined && onLine(nearest.server.version, wanted.version);
  if (fit === nearest && sameLine) {
    const floats = wanted.version !== undefined && isOpenMajor(wanted.flavor, wanted.version) ? `; the tag \`${wanted.version}\` follows the newest ${wanted.version}.x release, which may be newer than this build` : "";
    return { build: fit, kind: "same-line", why: `the build of the same release line (${describeServer(fit.server)}${floats})` };
  }
  const skipped = order.slice(0, fit ? order.indexOf(fit) : order.length).map((c) => `${describeServer(c.server)} does not know \`${unknownTo(c) ?? ""}\``);
  const missing = wanted.version !== undefined && !sameLine ? [`no build of ${label(wanted.flavor)} ${wanted.version} here`] : [];
  if (!fit) return { build: nearest, kind: "none-knows-all", why: `the nearest build (${describeServer(nearest.server)}), though none here knows every directive the config uses (${[...missing, ...skipped].join("; ")})` };
  return { build: fit, kind: "nearest", why: `the nearest build that knows every directive the config uses (${[describeServer(fit.server), ...missing, ...skipped].join("; ")})` };
}

// Same line first (newest patch first), then newer lines from the nearest up, then older from the nearest down.
function byNearness(pool: readonly BuildCandidate[], version: string): BuildCandidate[] {
  const newestFirst = [...pool].sort((a, b) => compareVersions(b.server.version, a.server.version));
  const same = newestFirst.filter((c) => onLine(c.server.version, version));
  const rest = newestFirst.filter((c) => !onLine(c.server.version, version));
  const newer = rest.filter((c) => compareVersions(c.server.version, version) > 0).reverse();
  const older = rest.filter((c) => compareVersions(c.server.version, version) < 0);
  return [...same, ...newer, ...older];
}

/** Whether `version` ("7.0.15") is of the line `wanted` names: "7.0", "7", or "7.0.15" itself (its major.minor). */
function onLine(version: string, wanted: string): boolean {
  const parts = wanted.split(".");
  const line = parts.length >= 2 ? parts.slice(0, 2) : parts;
  return version.split(".").slice(0, line.length).join(".") === line.join(".");
}

function label(flavor: ImageServer["flavor"]): string {
  return flavor === "valkey" ? "Valkey" : "Redis";
}
