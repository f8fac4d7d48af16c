import type { RedisImageSpec } from "./images.js";
import { DEFAULT_REDIS_IMAGE } from "./images.js";

/** A server build the suite can run, named as users say it: "7.0", "8.0", "valkey-8.1", or "default". */
export type VersionId = "default" | "6.0" | "6.2" | "7.0" | "7.2" | "7.4" | "8.0" | "valkey-8.1";

const offline = (debianSuite: string, server: "redis" | "valkey", serverVersion: string) => ({
  debianSuite,
  packages: [`${server}-server`, `${server}-tools`],
  // Named for where it comes from, never as the official image.
  image: `localhost/redis-persistence/${server}-debian:${debianSuite}`,
  serverVersion,
});

/**
 * Every version the suite knows: the official image, and an offline build where Debian packages that
 * version, with the server version that build gave (`docker run --rm --entrypoint redis-server IMAGE
 * --version`, 2026-12-01; suites/gate-versions.test.ts checks it still does).
 */
export const VERSIONS: Record<VersionId, RedisImageSpec> = {
  default: DEFAULT_REDIS_IMAGE,
  "6.0": { official: "redis:6.0", offline: offline("bullseye", "redis", "6.0.16") },
  "6.2": { official: "redis:6.2" },
  "7.0": { official: "redis:7.0", offline: offline("bookworm", "redis", "7.0.15") },
  "7.2": { official: "redis:7.2" },
  "7.4": { official: "redis:7.4" },
  "8.0": { official: "redis:8.0", offline: offline("trixie", "redis", "8.0.2") },
  "valkey-8.1": { official: "valkey/valkey:8.1", offline: offline("trixie", "valkey", "8.1.1") },
};

/** Parses a comma-separated version list (e.g. "6.0,8.0,valkey-8.1"); an unknown id is an error naming the known ones. */
export function parseVersions(list: string): VersionId[] {
  const ids = list.split(",").map((id) => id.trim()).filter(Boolean);
  for (const id of ids) {
    if (!(id in VERSIONS)) throw new Error(`unknown version "${id}"; known versions: ${Object.keys(VERSIONS).join(", ")}`);
  }
  return ids as VersionId[];
}
