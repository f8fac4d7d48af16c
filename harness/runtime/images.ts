import { spawn } from "node:child_process";
import path from "node:path";
import debug from "debug";
import { ImageName, getContainerRuntimeClient } from "testcontainers";
import { PROJECT_ROOT } from "./project-root.js";

const log = debug("redis-persistence:images");

/** Where one Redis server build comes from: the official image, or Debian's packages when no registry answers. */
export interface RedisImageSpec {
  /** The official image; TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX applies to it. */
  official: string;
  /** How to build an equivalent image from Debian's packages; undefined where Debian has no such version. */
  offline?: OfflineBuild;
}

/** A Debian suite and the packages that give a Redis-compatible server, and the local name of the result. */
export interface OfflineBuild {
  debianSuite: string;
  packages: string[];
  image: string;
  /** What `<server> --version` gave for this build when recorded: the gate picks a build by it before building one. */
  serverVersion?: string;
}

/** The image every case uses unless told otherwise (pinned here and only here). */
export const DEFAULT_REDIS_IMAGE: RedisImageSpec = {
  official: "redis:7.4",
  offline: {
    debianSuite: "bookworm",
    packages: ["redis-server", "redis-tools"],
    // "localhost/" keeps Testcontainers' hub prefix off a name that exists only on this machine.
    image: "localhost/redis-persistence/redis-debian:bookworm",
    serverVersion: "7.0.15",
  },
};

/** The server binary in an image: Valkey images ship valkey-server, everything else redis-server. */
export function serverBinaryOf(image: string): string {
  return /valkey/i.test(image) ? "valkey-server" : "redis-server";
}

/** redis-benchmark as the image names it: Valkey images ship it as valkey-benchmark. */
export function benchmarkBinaryOf(image: string): string {
  return /valkey/i.test(image) ? "valkey-benchmark" : "redis-benchmark";
}

/** The image a run actually uses, and why. */
export interface ResolvedImage {
  name: string;
  origin: "override" | "official" | "offline-build";
  /** True when an image registry answered; decides whether Testcontainers' Ryuk can run. */
  registryReachable: boolean;
}

const PULL_TIMEOUT_MS = 120_000;

/** Picks the image: REDIS_IMAGE if set, else the official one, else an offline build (cached). */
export async function resolveRedisImage(spec: RedisImageSpec = DEFAULT_REDIS_IMAGE, override = process.env.REDIS_IMAGE): Promise<ResolvedImage> {
  if (override) {
    const pulled = await ensureImagePresent(override);
    if (!pulled.present) {
      throw new Error(`REDIS_IMAGE=${override} is not on this machine and could not be pulled (${pulled.error}). Build or pull it first, or unset REDIS_IMAGE.`);
    }
    return { name: override, origin: "override", registryReachable: pulled.viaRegistry };
  }
  const official = ImageName.fromString(spec.official).string;
  const found = await ensureImagePresent(official);
  if (found.present) return { name: official, origin: "official", registryReachable: found.viaRegistry };
  if (!spec.offline) {
    throw new Error(`${official} cannot be pulled (${found.error}) and Debian has no package of that version to build it from offline. Pull it where a registry answers, or pick a version with an offline build.`);
  }
  log("cannot pull %s (%s); building %s from Debian packages", official, found.error, spec.offline.image);
  process.stderr.write(`[images] ${official} cannot be pulled (${found.error}); using an image built from Debian's packages: ${spec.offline.image}\n`);
  await buildOffline(spec.offline);
  return { name: spec.offline.image, origin: "offline-build", registryReachable: false };
}

/** Whether an image is here, or could be pulled (and whether a registry answered); otherwise why not. */
export async function ensureImagePresent(name: string): Promise<{ present: true; viaRegistry: boolean } | { present: false; error: string }> {
  const client = await getContainerRuntimeClient();
  const imageName = ImageName.fromString(name);
  if (await client.image.exists(imageName)) return { present: true, viaRegistry: false };
  try {
    await withTimeout(client.image.pull(imageName), PULL_TIMEOUT_MS, `pulling ${name}`);
    return { present: true, viaRegistry: true };
  } catch (error) {
    return { present: false, error: error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error) };
  }
}

async function buildOffline({ debianSuite, image, packages }: OfflineBuild): Promise<void> {
  await runBuildScript("build-offline-image.sh", [debianSuite, image, ...packages], `building ${image} from Debian's ${debianSuite} packages`);
}

/** Runs one of scripts/ with its output shown; fails naming `what` when it does not exit 0. */
export async function runBuildScript(script: string, args: string[], what: string): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("bash", [path.join(PROJECT_ROOT, "scripts", script), ...args], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`${what} failed (exit ${code}); see the lines above`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
