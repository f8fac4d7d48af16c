import type { RedisImageSpec } from "../runtime/images.js";
import { VERSIONS } from "../runtime/versions.js";
import { DIRECTIVE_VERSIONS } from "./directive-versions.js";
import type { ImageServer } from "./server-version.js";
import { compareVersions, describeServer, shortVersion } from "./server-version.js";

/** A directive the image's server does not know although another release does: what it needs, and how to get it. */
export interface VersionProblem {
  directive: string;
  /** The server and version that first knew it (or, for a dropped one, the last that did). */
  needs: { flavor: ImageServer["flavor"]; version: string; until?: true };
  /** "`locale-collate` needs Redis >= 7.2 (this image is Redis 7.0.15)". */
  message: string;
  /** How to pick an image that has it, from the versions this suite knows. */
  pick: string;
}

/**
 * Why this image's server does not know `directive` when its table says another release does:
 * "needs Redis >= 7.2 (this image is Redis 7.0.15)", with the images to pick instead. Undefined when
 * the table has nothing to say (a typo, or wrong arguments to a directive the server knows). Pure.
 */
export function versionProblem(directive: string, server: ImageServer, known: Readonly<Record<string, RedisImageSpec>> = VERSIONS): VersionProblem | undefined {
  // Own keys only: a line `constructor x` or `__proto__ x` names no row.
  const row = Object.hasOwn(DIRECTIVE_VERSIONS, directive) ? DIRECTIVE_VERSIONS[directive] : undefined;
  if (!row) return undefined;
  const image = `this image is ${describeServer(server)}`;
  const since = server.flavor === "valkey" ? row.valkey : row.redis;
  const name = `\`${directive}\``;
  if (since === null) {
    const other = server.flavor === "valkey" ? "redis" : "valkey";
    const otherSince = other === "valkey" ? row.valkey : row.redis;
    if (otherSince === null) return undefined;
    const message = `${name} is a ${other === "valkey" ? "Valkey" : "Redis"} directive (since ${shortVersion(otherSince)}): ${server.flavor === "valkey" ? "Valkey" : "Redis"} does not know it (${image})`;
    return { directive, needs: { flavor: other, version: otherSince }, message, pick: howToPick(other, otherSince, undefined, known) };
  }
  if (compareVersions(server.version, since) < 0) {
    const label = server.flavor === "valkey" ? "Valkey" : "Redis";
    return { directive, needs: { flavor: server.flavor, version: since }, message: `${name} needs ${label} >= ${shortVersion(since)} (${image})`, pick: howToPick(server.flavor, since, undefined, known) };
  }
  if (server.flavor === "redis" && row.redisUntil !== undefined && compareVersions(releaseLine(server.version), row.redisUntil) > 0) {
    return {
      directive,
      needs: { flavor: "redis", version: row.redisUntil, until: true },
      message: `${name} was dropped after Redis ${row.redisUntil} (${image}): remove the line, or run an older image`,
      pick: howToPick("redis", since, row.redisUntil, known),
    };
  }
  return undefined;
}

// Suggests the known versions whose release line has the directive: official image, and the offline build where there is one.
function howToPick(flavor: ImageServer["flavor"], since: string, until: string | undefined, known: Readonly<Record<string, RedisImageSpec>>): string {
  const fits = Object.entries(known).filter(([id]) => {
    const line = flavor === "valkey" ? /^valkey-(\d+\.\d+)$/.exec(id)?.[1] : /^(\d+\.\d+)$/.exec(id)?.[1];
    if (line === undefined) return false;
    return compareVersions(line, releaseLine(since)) >= 0 && (until === undefined || compareVersions(line, releaseLine(until)) <= 0);
  });
  const images = fits.map(([id, spec]) =>
    spec.offline
      ? `${id} (${spec.official}, or ${spec.offline.image} built from Debian's packages by \`bash scripts/build-offline-image.sh ${spec.offline.debianSuite} ${spec.offline.image} ${spec.offline.packages.join(" ")}\`)`
      : `${id} (${spec.official})`,
  );
  if (images.length === 0) return "pick an image of such a version with --image <name>";
  return `pick an image of such a version with --image, one of the versions this suite knows: ${images.join(", ")}`;
}

/** "6.2.17" -> "6.2": the release line a version belongs to. Pure. */
export function releaseLine(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}
