import type { ImageFamily, ImageRef, ServerKind } from "./deployment.js";

/** Repositories (registry and Docker Hub's "library/" stripped) whose start-up the readers know. */
const FAMILIES: Record<string, { family: ImageFamily; server: ServerKind }> = {
  redis: { family: "official-redis", server: "redis" },
  "valkey/valkey": { family: "official-valkey", server: "valkey" },
  valkey: { family: "official-valkey", server: "valkey" },
  "bitnami/redis": { family: "bitnami", server: "redis" },
  "bitnamilegacy/redis": { family: "bitnami", server: "redis" },
  "bitnamisecure/redis": { family: "bitnami", server: "redis" },
  "bitnami/valkey": { family: "bitnami", server: "valkey" },
  "bitnamilegacy/valkey": { family: "bitnami", server: "valkey" },
  "redis/redis-stack-server": { family: "redis-stack", server: "redis" },
  "redis/redis-stack": { family: "redis-stack", server: "redis" },
  "redis-persistence/redis-debian": { family: "offline-build", server: "redis" },
  "redis-persistence/valkey-debian": { family: "offline-build", server: "valkey" },
};

/**
 * Reads an image reference as Docker does: `[registry/]name[:tag][@digest]`, a first component
 * with a dot, a colon or "localhost" being the registry, no tag meaning `latest`. The version is
 * the leading `major[.minor[.patch]]` of the tag (redis-stack tags start with the Redis version:
 * "7.2.0-v10"); everything it cannot tell is said in `unknown`. Pure.
 */
export function parseImageRef(reference: string): ImageRef {
  const trimmed = reference.trim();
  const at = trimmed.indexOf("@");
  const digest = at >= 0 ? trimmed.slice(at + 1) : undefined;
  const named = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const parts = named.split("/");
  const first = parts[0] ?? "";
  const registry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined;
  const path = (registry ? parts.slice(1) : parts).join("/");
  const colon = path.lastIndexOf(":");
  const tagged = colon > path.lastIndexOf("/") && colon >= 0;
  const name = tagged ? path.slice(0, colon) : path;
  const tag = tagged ? path.slice(colon + 1) : digest ? undefined : "latest";
  const repository = name.replace(/^library\//, "").toLowerCase();
  const known = FAMILIES[repository];
  const family: ImageFamily = known?.family ?? "unknown";
  const server: ServerKind = known?.server ?? "unknown";
  const version = tag ? /^v?(\d+(?:\.\d+){0,2})(?![\d.])/.exec(tag)?.[1] : undefined;
  const unknown: string[] = [];
  if (family === "unknown") unknown.push(`\`${repository}\` is not an image the readers know (official redis or valkey/valkey, Bitnami's, redis-stack): its entrypoint, working directory and volumes are unknown`);
  if (!tagged && !digest) unknown.push("no tag: `latest`, whichever release that is when it is pulled");
  else if (tag === "latest") unknown.push("tag `latest`: whichever release that is when it is pulled");
  else if (!tag && digest) unknown.push("pinned by digest only: the version is whatever that digest holds, the reference does not say");
  else if (tag && !version) unknown.push(`tag \`${tag}\` names no version: the latest release of that variant`);
  else if (version && !/^\d+\.\d+\.\d+$/.test(version)) unknown.push(`tag \`${tag}\` names the ${version} line, not a release: the newest ${version}.x when pulled`);
  if (digest && tagged) unknown.push("a tag and a digest: Docker runs the digest, the tag is only a label");
  return {
    reference: trimmed,
    repository,
    ...(registry ? { registry } : {}),
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    family,
    server,
    ...(version ? { version } : {}),
    unknown,
  };
}

/** The server a binary name starts: redis-server (or redis-stack-server) and valkey-server. */
export function serverOfBinary(program: string | undefined): ServerKind | undefined {
  const base = (program ?? "").split("/").at(-1) ?? "";
  if (base === "redis-server" || base === "redis-stack-server") return "redis";
  if (base === "valkey-server") return "valkey";
  return undefined;
}

/** Whether a repository name looks like Redis or Valkey without being one the readers know ("sourcegraph/redis-store"). */
export function looksLikeRedis(repository: string): boolean {
  return /redis|valkey|keydb|dragonfly/i.test(repository);
}

/**
 * A version string as parseConf's multi-arg rule reads it (it needs major.minor.patch): a tag that
 * names only a line ("7.0") runs that line's newest release, so the patch reads as the newest.
 */
export function versionForParsing(server: ServerKind, version: string | undefined): string | undefined {
  if (server === "valkey") return `valkey ${version ?? ""}`.trim();
  if (version === undefined) return undefined;
  const [major = "0", minor = "999", patch = "999"] = version.split(".");
  return `${major}.${minor}.${patch}`;
}
