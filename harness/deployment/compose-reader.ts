import path from "node:path";
import type { Skipped } from "./container.js";
import { containerDeployment, isSkipped } from "./container.js";
import { splitComposeCommand } from "./compose-shellwords.js";
import { interpolateTree, parseDotEnv } from "./compose-interpolate.js";
import { DeploymentError } from "./deployment-error.js";
import type { Deployment, Finding, MemoryLimit, ReadOptions, SourceFile, StopGrace } from "./deployment.js";
import type { GivenFiles } from "./given-files.js";
import { looksLikeRedis, parseImageRef } from "./image-ref.js";
import type { Mount } from "./storage.js";
import { HOST_MEMORY_SURVIVAL, hostMemoryOf, survivalOf } from "./storage.js";
import { parseComposeBytes, parseDurationMs } from "./units.js";
import type { YamlDocument } from "./yaml-source.js";

/** compose's default stop grace (`docker compose stop` / `down` without -t). */
export const COMPOSE_DEFAULT_GRACE_MS = 10_000;

/** What a compose file holds: its Redis and Valkey servers, and the services that are not (with why). */
export interface ComposeRead {
  deployments: Deployment[];
  skipped: Skipped[];
  /** Every service with its image, for the "no Redis service" message. */
  services: { name: string; image?: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a compose file as `docker compose` would before starting it: `.env` next to it and the
 * --env variables (which win) interpolated into every value, anchors and `<<:` merges already
 * applied by the YAML parser, then every service whose image or command is Redis or Valkey
 * becomes a Deployment: its command and entrypoint (string or list), environment, working_dir,
 * volumes (short and long syntax, top-level definitions), tmpfs, configs and secrets,
 * stop_grace_period, stop_signal, init and memory limit.
 */
export function readCompose(file: SourceFile, doc: YamlDocument, given: GivenFiles, options: ReadOptions): ComposeRead {
  const root = doc.value;
  if (!isObj(root) || !isObj(root.services)) throw new DeploymentError("invalid-file", `${file.path}: a compose file needs a \`services:\` mapping`, file.path);
  const dir = path.dirname(file.path);
  const dotEnvPath = path.join(dir, ".env");
  const dotEnv = given.read(dotEnvPath);
  const env = { ...(dotEnv ? parseDotEnv(dotEnv.text) : {}), ...(options.env ?? {}) };
  const at = (p: (string | number)[]): string => {
    const line = doc.lineOf(p);
    return line ? `${file.path}:${line}` : file.path;
  };
  // Compose interpolates the whole file (a `${VAR:?}` anywhere refuses it); unset variables are reported per service.
  const { services: rawServices, ...rest } = root;
  const project = { ...(interpolateTree(rest, env, { unset: new Set() }, (p) => at(p)) as Obj), services: rawServices } as Obj;
  const services = Object.fromEntries(
    Object.entries(rawServices as Obj).map(([name, svc]) => {
      const state = { unset: new Set<string>() };
      const value = interpolateTree(svc, env, state, (p) => at(["services", name, ...p]), []);
      return [name, { value, unset: state.unset }];
    }),
  ) as Record<string, { value: unknown; unset: Set<string> }>;
  const topVolumes = isObj(project.volumes) ? project.volumes : {};
  const topConfigs = isObj(project.configs) ? project.configs : {};
  const topSecrets = isObj(project.secrets) ? project.secrets : {};
  const result: ComposeRead = { deployments: [], skipped: [], services: [] };

  for (const [name, { value: raw, unset }] of Object.entries(services)) {
    if (!isObj(raw)) throw new DeploymentError("invalid-file", `${at(["services", name])}: service ${name} must be a mapping`, file.path);
    const service = raw;
    const imageText = typeof service.image === "string" ? service.image : undefined;
    result.services.push({ name, ...(imageText ? { image: imageText } : {}) });
    if (options.service !== undefined && options.service !== name) continue;
    const image = imageText ? parseImageRef(imageText) : undefined;
    const mentionsServer = /redis-server|valkey-server|redis-stack-server/.test(JSON.stringify([service.command ?? null, service.entrypoint ?? null]));
    const plainlyNotRedis = !mentionsServer && image !== undefined && image.family === "unknown" && !looksLikeRedis(image.repository);
    // `extends` copies another service's image, command, volumes and grace into this one; read
    // without it, a Redis on a tmpfs that extends a safe one would be dropped or judged as the base.
    if (service.extends !== undefined && !plainlyNotRedis) {
      const base = isObj(service.extends) ? `${String(service.extends.service ?? "?")}${service.extends.file !== undefined ? ` of ${String(service.extends.file)}` : ""}` : String(service.extends);
      throw new DeploymentError(
        "unsupported",
        `${at(["services", name, "extends"])}: service ${name} extends ${base}, which the readers do not follow: run \`docker compose -f ${file.path} config > resolved.yml\` and gate resolved.yml (compose resolves extends, profiles and variables there)`,
        file.path,
      );
    }
    if (!mentionsServer && (!image || (image.family === "unknown" && !looksLikeRedis(image.repository)))) {
      const reason = imageText ? `image ${imageText} is neither Redis nor Valkey` : "no image (built with `build:`), and its command starts no Redis or Valkey";
      if (options.service === name) throw new DeploymentError("not-redis-image", `${at(["services", name])}: service ${name}: ${reason}`, file.path);
      result.skipped.push({ name, reason });
      continue;
    }
    const commandAt = service.command !== undefined ? at(["services", name, "command"]) : service.entrypoint !== undefined ? at(["services", name, "entrypoint"]) : at(["services", name]);
    const findings: Finding[] = unset.size
      ? [{ id: "compose-variable-unset", severity: "warning", message: `compose variables not set, read as "" as compose does: ${[...unset].sort().join(", ")}`, fix: `pass them with --env NAME=VALUE${dotEnv ? "" : ` or put them in ${dotEnvPath}`}`, at: at(["services", name]) }]
      : [];
    const unreadable: string[] = [];
    const volumesFrom = service.volumes_from === undefined ? [] : Array.isArray(service.volumes_from) ? service.volumes_from.map(String) : [String(service.volumes_from)];
    if (volumesFrom.length > 0) {
      findings.push({
        id: "volumes-from-not-followed",
        severity: "warning",
        message: `\`volumes_from: ${volumesFrom.join(", ")}\` is not followed: the mounts it takes from ${volumesFrom.length === 1 ? "that container" : "those containers"} are not read, so the storage of the data dir is read without them`,
        fix: "mount the volume in this service directly (`volumes: [redis-data:/data]`)",
        at: at(["services", name, "volumes_from"]),
      });
    }
    if (service.build !== undefined) unreadable.push(`service ${name} is built from ${isObj(service.build) ? String(service.build.context ?? ".") : String(service.build)} (\`build:\`): the Dockerfile is not read, the image is taken to behave like ${imageText ?? "an unknown image"}`);
    const words = (key: "command" | "entrypoint"): string[] | undefined => {
      const value = service[key];
      if (value === undefined || value === null) return undefined;
      if (Array.isArray(value)) return value.map((v) => String(v));
      const split = splitComposeCommand(String(value));
      if (!split) throw new DeploymentError("bad-command", `${at(["services", name, key])}: compose cannot split \`${String(value)}\` (an unbalanced quote or a stray parenthesis): write it as a list`, file.path);
      if (split.droppedFrom !== undefined) {
        findings.push({ id: "compose-command-cut", severity: "danger", message: `\`${key}: ${String(value)}\`: compose splits a string ${key} without a shell and drops everything from \`${split.droppedFrom.trim()}\` on`, fix: `use a list, or \`["sh", "-c", "..."]\` if you need a shell`, at: at(["services", name, key]) });
      }
      return split.words;
    };
    const entrypoint = words("entrypoint");
    const command = words("command");
    const serviceEnv = environmentOf(service, env, dir, given, unreadable);
    const mounts = composeMounts(name, service, topVolumes, topConfigs, topSecrets, dir, given, file, at);
    refuseDuplicateMounts(mounts, name, file);
    const grace = graceOf(service, options, at(["services", name, "stop_grace_period"]));
    const memory = memoryOf(service, at(["services", name]));
    const built = containerDeployment(
      {
        platform: "compose",
        name,
        file: file.path,
        ...(image ? { image } : {}),
        ...(entrypoint ? { entrypoint } : {}),
        ...(command ? { command } : {}),
        commandAt,
        env: serviceEnv,
        ...(typeof service.working_dir === "string" ? { workingDir: service.working_dir } : {}),
        mounts,
        stopGrace: grace,
        ...(memory ? { memoryLimit: memory } : {}),
        ...(composeBoolean(service.init) === true ? { init: true } : {}),
        ...(typeof service.stop_signal === "string" ? { stopSignal: service.stop_signal } : {}),
        findings,
        unreadable,
        givenByName: (base) => given.byName(base, [file.path]),
      },
      "compose",
    );
    if (isSkipped(built)) {
      const redisImage = image && image.family !== "unknown";
      result.skipped.push({ name, reason: redisImage || (image && looksLikeRedis(image.repository)) ? built.reason : imageText ? `image ${imageText} is neither Redis nor Valkey` : "no image (built with `build:`), and its command starts no Redis or Valkey" });
      if (options.service === name) {
        throw new DeploymentError(redisImage ? "no-redis-service" : "not-redis-image", `${at(["services", name])}: service ${name} ${redisImage ? built.reason : `runs ${imageText ?? "no image"}, which is neither Redis nor Valkey`}`, file.path);
      }
      continue;
    }
    result.deployments.push(built);
  }
  if (options.service !== undefined && !result.services.some((s) => s.name === options.service)) {
    throw new DeploymentError("no-such-service", `${file.path}: no service ${options.service}; its services: ${result.services.map((s) => s.name).join(", ")}`, file.path);
  }
  return result;
}

function environmentOf(service: Obj, env: Record<string, string>, dir: string, given: GivenFiles, unreadable: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const files = service.env_file === undefined ? [] : Array.isArray(service.env_file) ? service.env_file : [service.env_file];
  for (const entry of files) {
    const p = isObj(entry) ? String(entry.path) : String(entry);
    const required = isObj(entry) ? entry.required !== false : true;
    const found = given.read(path.join(dir, p));
    if (found) Object.assign(out, parseDotEnv(found.text));
    else if (required) unreadable.push(`env_file ${p} is not given and not next to the compose file: its variables are unknown`);
  }
  const environment = service.environment;
  if (Array.isArray(environment)) {
    for (const item of environment) {
      const text = String(item);
      const eq = text.indexOf("=");
      if (eq >= 0) out[text.slice(0, eq)] = text.slice(eq + 1);
      else if (env[text] !== undefined) out[text] = env[text] as string;
    }
  } else if (isObj(environment)) {
    for (const [k, v] of Object.entries(environment)) {
      if (v === null || v === undefined) {
        if (env[k] !== undefined) out[k] = env[k] as string;
      } else out[k] = String(v);
    }
  }
  return out;
}

function graceOf(service: Obj, options: ReadOptions, at: string): StopGrace {
  if (options.graceMs !== undefined) return { ms: options.graceMs, source: "--grace" };
  const value = service.stop_grace_period;
  if (value === undefined || value === null) return { ms: COMPOSE_DEFAULT_GRACE_MS, source: "compose default (10 s)" };
  const ms = parseDurationMs(value as string | number);
  if (ms === undefined) throw new DeploymentError("invalid-file", `${at}: stop_grace_period ${JSON.stringify(value)} is not a duration (compose takes "10s", "1m30s")`);
  return { ms, source: `compose stop_grace_period ${String(value)} (${at})` };
}

function memoryOf(service: Obj, at: string): MemoryLimit | undefined {
  const deploy = isObj(service.deploy) && isObj(service.deploy.resources) && isObj(service.deploy.resources.limits) ? service.deploy.resources.limits.memory : undefined;
  for (const [value, source] of [
    [service.mem_limit, "mem_limit"],
    [deploy, "deploy.resources.limits.memory"],
  ] as const) {
    if (value === undefined || value === null) continue;
    const bytes = parseComposeBytes(value as string | number);
    if (bytes !== undefined) return { bytes, text: String(value), source: `compose ${source} (${at})` };
  }
  return undefined;
}

function composeMounts(name: string, service: Obj, topVolumes: Obj, topConfigs: Obj, topSecrets: Obj, dir: string, given: GivenFiles, file: SourceFile, at: (p: (string | number)[]) => string): Mount[] {
  const mounts: Mount[] = [];
  const bind = (source: string, target: string, declaredAt: string, kind: "bind-mount" | "config" = "bind-mount"): Mount => {
    const host = source.startsWith("/") ? source : path.join(dir, source);
    const ram = kind === "bind-mount" ? hostMemoryOf(host) : undefined;
    return {
      storage: { kind, mountPath: target, source: host, declaredAt, ...(kind === "bind-mount" ? { survives: ram ? HOST_MEMORY_SURVIVAL : survivalOf("bind-mount", "compose") } : {}), ...(ram ? { inHostMemory: ram } : {}) },
      read: (relative) => {
        const hostPath = relative === "" ? host : path.join(host, relative);
        const found = given.read(hostPath);
        return found ? [found] : "missing";
      },
      list: (relative) => given.list(relative === "" ? host : path.join(host, relative)),
      missing: (relative) => {
        const hostPath = relative === "" ? host : path.join(host, relative);
        return `it is mounted from ${hostPath} (${declaredAt}), which does not exist: pass the file too: gate ${file.path} ${hostPath}`;
      },
    };
  };
  const volumes = Array.isArray(service.volumes) ? service.volumes : [];
  volumes.forEach((entry, i) => {
    const declaredAt = at(["services", name, "volumes", i]);
    let type: string;
    let source: string | undefined;
    let target: string;
    if (typeof entry === "string") {
      const parts = splitVolumeSpec(entry);
      if (parts.length === 1) {
        type = "volume";
        target = parts[0] as string;
      } else {
        source = parts[0] as string;
        target = parts[1] as string;
        if (source === "") throw new DeploymentError("invalid-file", `${declaredAt}: the volume \`${entry}\` has an empty source (compose refuses it: "empty section between colons"); a variable it uses may be unset: pass it with --env`, file.path);
        type = /^[./~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) ? "bind" : "volume";
      }
    } else if (isObj(entry)) {
      type = String(entry.type ?? "volume");
      source = entry.source === undefined ? undefined : String(entry.source);
      target = String(entry.target ?? "");
      if (target === "") throw new DeploymentError("invalid-file", `${declaredAt}: a long-syntax volume needs a \`target\` (compose refuses it)`, file.path);
    } else return;
    const mountsBefore = mounts.length;
    const readOnly = typeof entry === "string" ? (splitVolumeSpec(entry)[2] ?? "").split(",").includes("ro") : isObj(entry) && composeBoolean(entry.read_only) === true;
    if (type === "bind") {
      if (source?.startsWith("~")) mounts.push({ storage: { kind: "bind-mount", mountPath: target, source, declaredAt, survives: survivalOf("bind-mount", "compose") }, missing: () => `it is mounted from ${source} under your home directory: pass the file too: gate ${file.path} <that file>` });
      else mounts.push(bind(source ?? "", target, declaredAt));
    } else if (type === "tmpfs") {
      mounts.push({ storage: { kind: "tmpfs", mountPath: target, declaredAt, survives: survivalOf("tmpfs", "compose") } });
    } else if (type === "volume" && source === undefined) {
      mounts.push({ storage: { kind: "anonymous-volume", mountPath: target, declaredAt: `compose anonymous volume (${declaredAt})`, survives: survivalOf("anonymous-volume", "compose"), note: "compose carries an unnamed volume over when `up` recreates the container, but `down` + `up` starts on a new one" } });
    } else if (type === "volume") {
      const definition = topVolumes[source as string];
      if (!Object.hasOwn(topVolumes, source as string)) throw new DeploymentError("invalid-file", `${declaredAt}: service ${name} refers to undefined volume ${source}: declare it under the top-level \`volumes:\` (compose refuses the file)`, file.path);
      const def = isObj(definition) ? definition : {};
      const opts = isObj(def.driver_opts) ? def.driver_opts : {};
      const volumeName = typeof def.name === "string" ? def.name : (source as string);
      // The local driver mounts `type` when a container first uses the volume and unmounts it when the last one stops: a tmpfs or ramfs is empty again.
      const ram = typeof opts.device === "string" && String(opts.o ?? "").split(",").includes("bind") ? hostMemoryOf(opts.device) : undefined;
      if (opts.type === "tmpfs" || opts.type === "ramfs") {
        mounts.push({ storage: { kind: "tmpfs", mountPath: target, source: volumeName, declaredAt, survives: survivalOf("tmpfs", "compose"), note: `a named volume whose driver_opts mount a ${String(opts.type)} (RAM)` } });
      } else if (ram) {
        mounts.push({ storage: { kind: "named-volume", mountPath: target, source: volumeName, declaredAt, survives: HOST_MEMORY_SURVIVAL, inHostMemory: ram, note: `a named volume whose driver_opts bind ${String(opts.device)}` } });
      } else {
        const notes = [def.external ? "external: created outside this file, compose refuses to start if it does not exist" : "", typeof opts.device === "string" ? `backed by ${opts.device}` : "", def.driver && def.driver !== "local" ? `driver ${String(def.driver)}` : ""].filter(Boolean);
        mounts.push({ storage: { kind: "named-volume", mountPath: target, source: volumeName, declaredAt, survives: survivalOf("named-volume", "compose"), ...(notes.length ? { note: notes.join("; ") } : {}) } });
      }
    } else if (type === "npipe" || type === "cluster" || type === "image") {
      mounts.push({ storage: { kind: "unknown", mountPath: target, ...(source ? { source } : {}), declaredAt, note: `a ${type} mount` } });
    }
    const added = mounts[mountsBefore];
    if (readOnly && added) added.storage.readOnly = declaredAt;
  });
  const tmpfs = service.tmpfs === undefined ? [] : Array.isArray(service.tmpfs) ? service.tmpfs : [service.tmpfs];
  tmpfs.forEach((entry, i) => {
    const target = String(entry).split(":")[0] as string;
    mounts.push({ storage: { kind: "tmpfs", mountPath: target, declaredAt: at(["services", name, "tmpfs", ...(Array.isArray(service.tmpfs) ? [i] : [])]), survives: survivalOf("tmpfs", "compose") } });
  });
  for (const [key, top, base] of [
    ["configs", topConfigs, "/"],
    ["secrets", topSecrets, "/run/secrets/"],
  ] as const) {
    const list = Array.isArray(service[key]) ? (service[key] as unknown[]) : [];
    list.forEach((entry, i) => {
      const sourceName = isObj(entry) ? String(entry.source) : String(entry);
      const target = isObj(entry) && entry.target !== undefined ? String(entry.target) : `${base}${sourceName}`;
      const resolvedTarget = target.startsWith("/") ? target : `${base}${target}`;
      const def = isObj(top[sourceName]) ? (top[sourceName] as Obj) : {};
      const declaredAt = at(["services", name, key, i]);
      if (typeof def.file === "string") mounts.push(bind(def.file, resolvedTarget, declaredAt, "config"));
      else if (typeof def.content === "string") {
        const content = def.content;
        mounts.push({ storage: { kind: "config", mountPath: resolvedTarget, source: sourceName, declaredAt }, read: () => [{ text: content, display: `${key} ${sourceName} (${declaredAt})` }] });
      } else mounts.push({ storage: { kind: "config", mountPath: resolvedTarget, source: sourceName, declaredAt }, missing: () => `the ${key.slice(0, -1)} ${sourceName} is ${def.external ? "external" : "not a file"}: pass its content as a file too` });
    });
  }
  return mounts;
}

// "src:dst[:mode]" with Windows drive letters kept together.
// The engine refuses two mounts on one path ("Duplicate mount point"), so the service never starts.
function refuseDuplicateMounts(mounts: Mount[], name: string, file: SourceFile): void {
  const seen = new Map<string, string | undefined>();
  for (const m of mounts) {
    const target = path.posix.normalize(m.storage.mountPath).replace(/(.)\/$/, "$1");
    if (seen.has(target)) {
      throw new DeploymentError("invalid-file", `service ${name} mounts two things at ${target} (${seen.get(target) ?? "?"} and ${m.storage.declaredAt ?? "?"}): the engine refuses it ("Duplicate mount point") and the service never starts; keep one`, file.path);
    }
    seen.set(target, m.storage.declaredAt);
  }
}

// compose-go casts boolean fields given as strings (an interpolated `${RO:-true}`) with its toBoolean.
function composeBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  if (["y", "yes", "true", "on"].includes(v)) return true;
  if (["n", "no", "false", "off"].includes(v)) return false;
  return undefined;
}

function splitVolumeSpec(spec: string): string[] {
  const parts: string[] = [];
  let rest = spec;
  while (rest.length > 0) {
    const drive = /^[A-Za-z]:[\\/]/.test(rest) ? 2 : 0;
    const colon = rest.indexOf(":", drive);
    if (colon === -1) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  return parts;
}
