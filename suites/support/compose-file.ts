import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** What the service suite takes from one of app-under-test/compose/*.yml. */
export interface ComposeSetup {
  /** The redis service's command after `redis-server` (empty: the image's defaults). */
  redisArgs: string[];
  /** True when /data of the redis service is a named volume declared in the file. */
  namedDataVolume: boolean;
  /** The app service's environment. */
  appEnv: Record<string, string>;
}

interface ComposeService {
  command?: string | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  environment?: Record<string, string | number | null> | string[];
}

/** Reads a compose file's redis and app services; throws naming the file and the field it cannot use. */
export function readComposeSetup(file: string): ComposeSetup {
  const doc = parse(readFileSync(file, "utf8")) as { services?: Record<string, ComposeService>; volumes?: Record<string, unknown> };
  const redis = doc.services?.redis;
  const app = doc.services?.app;
  if (!redis || !app) throw new Error(`${file}: expected services "redis" and "app"`);
  const command = typeof redis.command === "string" ? redis.command.split(/\s+/) : (redis.command ?? []);
  if (command.length > 0 && command[0] !== "redis-server") throw new Error(`${file}: services.redis.command must start with redis-server, got ${JSON.stringify(command)}`);
  const declared = new Set(Object.keys(doc.volumes ?? {}));
  const namedDataVolume = (redis.volumes ?? []).some((volume) => {
    const [source, target] = typeof volume === "string" ? volume.split(":") : [volume.source, volume.target];
    return target === "/data" && source !== undefined && declared.has(source);
  });
  return { redisArgs: command.slice(1), namedDataVolume, appEnv: environment(app.environment) };
}

function environment(env: ComposeService["environment"]): Record<string, string> {
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries(env ?? {}).map(([name, value]) => [name, String(value ?? "")]));
}
