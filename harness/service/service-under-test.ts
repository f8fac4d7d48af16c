import { dockerEngine } from "../runtime/docker-engine.js";
import { ensureImagePresent } from "../runtime/images.js";
import { resolveServiceImage } from "../runtime/service-image.js";

/** Where a service finds Redis: the network alias and port the stack gives it. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * A prediction service to test: an image and how to talk to it. The reference (app-under-test)
 * also runs the checks that only it can satisfy; a foreign one is judged by the API alone.
 */
export interface ServiceUnderTest {
  kind: "reference" | "foreign";
  image: string;
  /** The port it listens on inside its container. */
  port: number;
  /** A GET that answers 2xx once the service can serve (Redis reachable). */
  healthPath: string;
  /** Environment that tells it where Redis is, as templates: `{host}` and `{port}` are filled in. */
  redisEnv: Record<string, string>;
  /** Extra environment (SERVICE_ENV); wins over everything the suite sets. */
  env: Record<string, string>;
}

/** The article's compose tells its Flask service where Redis is with these two. */
export const DEFAULT_REDIS_ENV = "REDIS_HOST={host} REDIS_PORT={port}";
export const DEFAULT_HEALTH_PATH = "/health";
/** app-under-test's PORT default. */
const REFERENCE_PORT = 8000;

/** Why a foreign service cannot be tested as configured: one line naming the knob. */
export class ServiceConfigError extends Error {
  override name = "ServiceConfigError";
}

/**
 * Parses `K=V K2=V2` (SERVICE_ENV, SERVICE_REDIS_ENV): whitespace-separated, a value may be quoted
 * with '...' or "..." to hold spaces. Throws naming the entry that has no `=`. Pure.
 */
export function parseEnvList(text: string, knob: string): Record<string, string> {
  const env: Record<string, string> = {};
  const entry = /\s*([^\s=]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']*))(?=\s|$)/y;
  let at = 0;
  while (!/^\s*$/.test(text.slice(at))) {
    entry.lastIndex = at;
    const match = entry.exec(text);
    if (!match) {
      throw new ServiceConfigError(`${knob}: expected NAME=value entries separated by spaces (e.g. ${knob}="K=V K2='a b'"), got ${JSON.stringify(text.slice(at).trim())}`);
    }
    env[match[1] as string] = match[2] ?? match[3] ?? match[4] ?? "";
    at = entry.lastIndex;
  }
  return env;
}

/** The mapping with `{host}` and `{port}` filled in. Pure. */
export function redisEnvFor(mapping: Record<string, string>, address: RedisAddress): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([name, value]) => [name, value.replaceAll("{host}", address.host).replaceAll("{port}", String(address.port))]));
}

/** A path as the client sends it: with a leading slash. Pure. */
function healthPathOf(value: string | undefined): string {
  const path = value?.trim() || DEFAULT_HEALTH_PATH;
  return path.startsWith("/") ? path : `/${path}`;
}

/**
 * The service the suites test, from the environment: SERVICE_IMAGE (unset: app-under-test, built
 * here), SERVICE_PORT (default: 8000 for ours, else the one port the image EXPOSEs),
 * SERVICE_HEALTH_PATH (/health), SERVICE_REDIS_ENV (`REDIS_HOST={host} REDIS_PORT={port}`),
 * SERVICE_ENV (`K=V K2=V2`).
 */
export async function serviceUnderTestFromEnv(env: Record<string, string | undefined> = process.env): Promise<ServiceUnderTest> {
  const redisEnv = parseEnvList(env.SERVICE_REDIS_ENV?.trim() || DEFAULT_REDIS_ENV, "SERVICE_REDIS_ENV");
  const extra = parseEnvList(env.SERVICE_ENV ?? "", "SERVICE_ENV");
  const healthPath = healthPathOf(env.SERVICE_HEALTH_PATH);
  const image = env.SERVICE_IMAGE?.trim();
  // Every knob is read before Docker is asked anything.
  const port = env.SERVICE_PORT ? portOf(env.SERVICE_PORT) : undefined;
  if (!image) return { ...referenceService((await resolveServiceImage()).name), port: port ?? REFERENCE_PORT, healthPath, redisEnv, env: extra };
  const exposed = await exposedPorts(image);
  return { kind: "foreign", image, port: port ?? onlyPort(image, exposed), healthPath, redisEnv, env: extra };
}

/** app-under-test built as `image`, with its defaults (port 8000, /health, REDIS_HOST and REDIS_PORT). */
export function referenceService(image: string): ServiceUnderTest {
  return { kind: "reference", image, port: REFERENCE_PORT, healthPath: DEFAULT_HEALTH_PATH, redisEnv: parseEnvList(DEFAULT_REDIS_ENV, "SERVICE_REDIS_ENV"), env: {} };
}

/** A foreign service given explicitly (the fixtures' tests), with the same defaults as from the environment. */
export function foreignService(image: string, port: number, options: Partial<Pick<ServiceUnderTest, "healthPath" | "redisEnv" | "env">> = {}): ServiceUnderTest {
  return {
    kind: "foreign",
    image,
    port,
    healthPath: healthPathOf(options.healthPath),
    redisEnv: options.redisEnv ?? parseEnvList(DEFAULT_REDIS_ENV, "SERVICE_REDIS_ENV"),
    env: options.env ?? {},
  };
}

/** One line that says which service runs: in test output and failure messages. */
export function describeService(service: ServiceUnderTest): string {
  const who = service.kind === "reference" ? "app-under-test (the reference)" : "a foreign service";
  return `${who}: ${service.image}, port ${service.port}, health ${service.healthPath}`;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ServiceConfigError(`SERVICE_PORT: expected the port the service listens on inside its container (1-65535), got ${JSON.stringify(text)}`);
  return port;
}

/** The TCP ports an image EXPOSEs; pulls it where a registry answers, fails with one line where it is nowhere. */
async function exposedPorts(image: string): Promise<number[]> {
  const present = await ensureImagePresent(image);
  if (!present.present) throw new ServiceConfigError(`SERVICE_IMAGE=${image}: not on this machine and cannot be pulled (${present.error}); build or load it first`);
  const info = await (await dockerEngine()).getImage(image).inspect();
  return Object.keys(info.Config.ExposedPorts ?? {})
    .filter((p) => p.endsWith("/tcp"))
    .map((p) => Number.parseInt(p, 10));
}

function onlyPort(image: string, exposed: number[]): number {
  if (exposed.length === 1) return exposed[0] as number;
  throw new ServiceConfigError(`SERVICE_IMAGE=${image} EXPOSEs ${exposed.length === 0 ? "no port" : `ports ${exposed.join(", ")}`}: set SERVICE_PORT to the port the service listens on inside its container`);
}
