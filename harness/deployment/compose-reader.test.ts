import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Deployment, ReadOptions } from "./deployment.js";
import { describeOrigin } from "./deployment.js";
import { DeploymentError } from "./deployment-error.js";
import { readDeployments } from "./read-deployments.js";

const F = "harness/deployment/fixtures/compose";
const files = (...paths: string[]) => paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") }));
const read = (paths: string[], options: ReadOptions = {}) => readDeployments(files(...paths), options);
const only = (paths: string[], options: ReadOptions = {}): Deployment => {
  const set = read(paths, options);
  expect(set.deployments).toHaveLength(1);
  return set.deployments[0] as Deployment;
};
/** The last value of each persistence directive, as Redis would end up with it, and where it came from. */
const last = (d: Deployment, name: string) => {
  const directive = d.directives.filter((x) => x.name === name).at(-1);
  return directive ? { args: directive.args, at: describeOrigin(directive.origin) } : undefined;
};
const saves = (d: Deployment) => d.directives.filter((x) => x.name === "save").map((x) => x.args.join(" "));
const ids = (d: Deployment) => d.findings.map((f) => f.id);
const error = (fn: () => unknown): DeploymentError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeploymentError) return e;
    throw e;
  }
  throw new Error("expected a DeploymentError");
};

describe("the seed article's compose files", () => {
  it("broken: redis:7.4 with no command and no volume is only on the image's anonymous volume", () => {
    const d = only(["app-under-test/compose/docker-compose.broken.yml"]);
    expect(d).toMatchObject({ kind: "compose", name: "redis", server: "redis", version: "7.4", argv: ["redis-server"], directives: [] });
    expect(d.dataDir).toEqual({ path: "/data", onStorage: true });
    expect(d.storage).toMatchObject({ kind: "anonymous-volume", mountPath: "/data", survives: { restart: true, recreate: false } });
    expect(d.stopGrace).toEqual({ ms: 10_000, source: "compose default (10 s)" });
    expect(d.pid1).toMatchObject({ process: "redis-server", sigterm: "reaches-server" });
    expect(ids(d)).toEqual(["anonymous-volume-only"]);
    expect(read(["app-under-test/compose/docker-compose.broken.yml"]).skipped.map((s) => s.name)).toEqual(["app"]);
  });

  it("fixed: `--appendonly yes` as a flag, /data on the named volume redis-data", () => {
    const d = only(["app-under-test/compose/docker-compose.fixed.yml"]);
    expect(d.argv).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(last(d, "appendonly")).toEqual({ args: ["yes"], at: "flag 1 `--appendonly yes` (app-under-test/compose/docker-compose.fixed.yml:17)" });
    expect(d.storage).toMatchObject({ kind: "named-volume", source: "redis-data", mountPath: "/data", survives: { restart: true, recreate: true, reboot: true } });
    expect(d.dataDir.onStorage).toBe(true);
    expect(d.findings).toEqual([]);
  });
});

describe("a production compose with a mounted redis.conf", () => {
  const d = only([`${F}/production/docker-compose.yml`]);

  it("reads the bind-mounted file, and the file it includes, in order", () => {
    expect(d.configFile).toEqual({ path: "/usr/local/etc/redis/redis.conf", readFrom: `${F}/production/conf/redis.conf` });
    expect(saves(d)).toEqual(["900 1", "300 10"]);
    expect(last(d, "appendonly")?.args).toEqual(["yes"]);
    expect(last(d, "appendfsync")).toEqual({ args: ["everysec"], at: `${F}/production/conf/redis.conf:18` });
    expect(last(d, "maxmemory-policy")?.args).toEqual(["allkeys-lru"]);
    expect(last(d, "requirepass")?.at).toBe(`${F}/production/conf/local.conf:2 (included from ${F}/production/conf/redis.conf:26)`);
    expect(d.directives.some((x) => x.name === "include")).toBe(false);
  });

  it("has dir /data on the named volume, a 30 s grace and a 1.5 GiB limit", () => {
    expect(d.dataDir).toMatchObject({ path: "/data", onStorage: true });
    expect(d.storage).toMatchObject({ kind: "named-volume", source: "redis-data" });
    expect(d.stopGrace.ms).toBe(30_000);
    expect(d.memoryLimit).toMatchObject({ bytes: 1536 * 1024 * 1024, text: "1536m" });
    expect(d.findings).toEqual([]);
  });

  it("reads the mounted file from the given set before the disk", () => {
    const set = readDeployments([...files(`${F}/production/docker-compose.yml`), { path: `${F}/production/conf/redis.conf`, text: "appendonly no\n" }]);
    expect(last(set.deployments[0] as Deployment, "appendonly")?.args).toEqual(["no"]);
  });
});

describe("readers that must not say something wrong", () => {
  it("lets a command-line flag override the mounted config's appendonly (flags after the file)", () => {
    const d = only([`${F}/override-appendonly.yml`]);
    expect(d.directives.filter((x) => x.name === "appendonly").map((x) => [x.args[0], x.origin.kind])).toEqual([
      ["yes", "file"],
      ["no", "flag"],
    ]);
    expect(last(d, "appendonly")?.at).toBe(`flag 2 \`--appendonly no\` (${F}/override-appendonly.yml:7)`);
    expect(saves(d).at(-1)).toBe("");
  });

  it("does not take a config path after a flag as the config file", () => {
    const d = only([`${F}/flag-before-conf.yml`]);
    expect(d.configFile).toBeUndefined();
    expect(last(d, "appendonly")?.args).toEqual(["yes", "/usr/local/etc/redis/redis.conf"]);
    expect(ids(d)).toContain("config-file-after-flag");
  });

  it("reads an anchor-merged service: image, grace and restart from `<<:`, volumes and command its own", () => {
    const d = only([`${F}/sentry-self-hosted.yml`]);
    expect(d).toMatchObject({ server: "redis", version: "6.2.20", argv: ["redis-server", "/usr/local/etc/redis/redis.conf"] });
    expect(d.stopGrace).toMatchObject({ ms: 90_000 });
    expect(d.storage).toMatchObject({ kind: "named-volume", source: "sentry-redis", note: expect.stringContaining("external") });
    expect(d.directives.map((x) => x.text)).toEqual(["maxmemory 0", "maxmemory-policy volatile-lru"]);
    expect(d.configFile?.readFrom).toBe(`${F}/sentry-redis.conf`);
    // The merged healthcheck interpolates $HEALTHCHECK_INTERVAL, which nothing sets.
    expect(d.findings.find((f) => f.id === "compose-variable-unset")?.message).toContain("HEALTHCHECK_INTERVAL");
  });

  it("refuses `${VAR:?message}` when the variable is not set, as compose does, and reads it when --env sets it", () => {
    const e = error(() => read([`${F}/required-var.yml`]));
    expect(e.code).toBe("interpolation");
    expect(e.message).toBe(`${F}/required-var.yml:5: required variable REDIS_PASSWORD is missing a value: set REDIS_PASSWORD in .env (compose refuses the file): pass it with --env REDIS_PASSWORD=...`);
    expect(last(only([`${F}/required-var.yml`], { env: { REDIS_PASSWORD: "pw" } }), "requirepass")?.args).toEqual(["pw"]);
  });
});

describe("compose files of public projects", () => {
  it("mastodon: redis:7-alpine on a bind mount ./redis:/data, RDB defaults", () => {
    const d = only([`${F}/mastodon.yml`]);
    expect(d).toMatchObject({ version: "7", argv: ["redis-server"], directives: [] });
    expect(d.storage).toMatchObject({ kind: "bind-mount", source: `${F}/redis`, mountPath: "/data" });
    expect(d.findings).toEqual([]);
  });

  it("immich: Valkey pinned by tag and digest, no volume: nothing survives a new container", () => {
    const d = only([`${F}/immich.yml`]);
    expect(d.image).toMatchObject({ repository: "valkey/valkey", tag: "8-bookworm", digest: expect.stringMatching(/^sha256:a137/), family: "official-valkey" });
    expect(d).toMatchObject({ server: "valkey", version: "8", argv: ["valkey-server"] });
    expect(d.storage.kind).toBe("none");
    expect(d.dataDir.onStorage).toBe(false);
    expect(ids(d)).toEqual(["no-storage"]);
    expect(d.unreadable.join(" ")).toMatch(/digest/);
  });

  it("outline: `image: redis` with no tag is latest, on the image's anonymous volume", () => {
    const d = only([`${F}/outline.yml`]);
    expect(d.version).toBeUndefined();
    expect(d.unreadable).toContain("no tag: `latest`, whichever release that is when it is pulled");
    expect(d.storage.kind).toBe("anonymous-volume");
  });

  it("posthog: two services, string commands with eviction flags only", () => {
    const set = read([`${F}/posthog.yml`]);
    expect(set.deployments.map((d) => [d.name, d.version, last(d, "maxmemory")?.args[0], last(d, "maxmemory-policy")?.args[0]])).toEqual([
      ["redis", "6.2.7", "200mb", "allkeys-lru"],
      ["redis7", "7.2", "200mb", "allkeys-lru"],
    ]);
    expect(set.skipped).toEqual([{ name: "flower", reason: "image mher/flower:2.0.0 is neither Redis nor Valkey" }]);
  });

  it("paperless-ngx: docker.io/library/redis:8 on a named volume", () => {
    const d = only([`${F}/paperless.yml`]);
    expect(d.image).toMatchObject({ registry: "docker.io", repository: "redis", tag: "8", family: "official-redis" });
    expect(d.storage).toMatchObject({ kind: "named-volume", source: "redisdata" });
  });

  it("dify: `${VAR:-default}` in a command and a volume source, `${VAR-default}`, env_file read next to it", () => {
    const d = only([`${F}/dify.yml`]);
    expect(d.argv).toEqual(["redis-server", "--requirepass", "difyai123456", "--appendonly", "yes"]);
    expect(d.storage).toMatchObject({ kind: "bind-mount", source: `${F}/volumes/redis/data` });
    expect(d.env).toMatchObject({ REDISCLI_AUTH: "difyai123456", TZ: "UTC" });
    const set = only([`${F}/dify.yml`], { env: { REDIS_PASSWORD: "pw", REDIS_AOF: "" } });
    // `${REDIS_AOF-yes}` keeps the empty value, and compose's splitting drops the empty word.
    expect(set.argv).toEqual(["redis-server", "--requirepass", "pw", "--appendonly"]);
  });

  it("bitnami: settings from the environment through Bitnami's scripts, data under /bitnami/redis/data", () => {
    const d = only([`${F}/bitnami.yml`]);
    expect(d.image).toMatchObject({ family: "bitnami", server: "redis", version: "7.4" });
    expect(d.argv).toEqual(["redis-server", "/opt/bitnami/redis/etc/redis.conf", "--daemonize", "no"]);
    expect(last(d, "appendonly")).toEqual({ args: ["yes"], at: "REDIS_AOF_ENABLED (Bitnami setup.sh)" });
    expect(saves(d)).toEqual(["", "900 1", "60 1000"]);
    expect(d.directives.filter((x) => x.name === "rename-command").map((x) => x.args)).toEqual([
      ["FLUSHDB", ""],
      ["FLUSHALL", ""],
    ]);
    expect(d.dataDir).toMatchObject({ path: "/bitnami/redis/data", onStorage: true });
    expect(d.storage).toMatchObject({ kind: "named-volume", source: "redis_data" });
    expect(d.pid1.process).toBe("redis-server");
    expect(d.unreadable.join(" ")).toMatch(/redis-default\.conf .* is not read/);
  });

  it("bitnami: REDIS_AOF_ENABLED=no and no RDB policy leave nothing but `save \"\"`", () => {
    const text = readFileSync(`${F}/bitnami.yml`, "utf8").replace("- REDIS_RDB_POLICY=900#1 60#1000", "- REDIS_AOF_ENABLED=no");
    const d = readDeployments([{ path: `${F}/bitnami-aof-off.yml`, text }]).deployments[0] as Deployment;
    expect(last(d, "appendonly")?.args).toEqual(["no"]);
    expect(saves(d)).toEqual([""]);
  });
});

describe("what runs as PID 1", () => {
  const set = read([`${F}/sh-c.yml`]);
  const byName = (name: string) => set.deployments.find((d) => d.name === name) as Deployment;

  it("`sh -c '... && redis-server ...'` without exec: SIGTERM never reaches the server", () => {
    const d = byName("no-exec");
    expect(d.pid1).toMatchObject({ process: "sh -c", sigterm: "never" });
    expect(ids(d)).toContain("sigterm-never-reaches-server");
    // `$$` leaves the variable to the shell, which has it from `environment`.
    expect(last(d, "requirepass")?.args).toEqual(["s3cret"]);
  });

  it("`sh -c 'exec redis-server ...'` as an entrypoint string: the server is PID 1", () => {
    const d = byName("with-exec");
    expect(d.pid1).toMatchObject({ process: "redis-server", sigterm: "reaches-server" });
    expect(last(d, "appendfsync")?.args).toEqual(["always"]);
    expect(ids(d)).toEqual([]);
  });

  it("`sh -c 'redis-server ...'` alone: may or may not, depending on the shell", () => {
    expect(byName("single").pid1.sigterm).toBe("maybe");
    expect(ids(byName("single"))).toEqual(["sigterm-may-not-reach-server"]);
  });
});

describe("storage shapes", () => {
  it("tmpfs, and a named volume whose driver_opts mount a tmpfs, are RAM", () => {
    const set = read([`${F}/tmpfs.yml`]);
    expect(set.deployments.map((d) => [d.name, d.storage.kind, d.storage.survives?.restart, ids(d)])).toEqual([
      ["cache", "tmpfs", false, ["storage-in-memory"]],
      ["queue", "tmpfs", false, ["storage-in-memory"]],
    ]);
    expect(saves(set.deployments[0] as Deployment)).toEqual([""]);
  });

  it("a bare flags list gets redis-server in front; `dir` off the volume is found", () => {
    const d = only([`${F}/flags-only.yml`]);
    expect(d.argv.slice(0, 3)).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(saves(d)).toEqual(["60 1", "300 10"]);
    expect(d.dataDir).toMatchObject({ path: "/var/lib/redis", onStorage: false });
    expect(d.storage.kind).toBe("none");
    expect(d.findings.find((f) => f.id === "dir-not-on-storage")).toMatchObject({ severity: "danger", at: expect.stringContaining("flag 9 `--dir /var/lib/redis`") });
  });
});

describe("bad compose input", () => {
  it("a compose file with no Redis service lists the services it found", () => {
    const e = error(() => read([`${F}/no-redis.yml`]));
    expect(e.code).toBe("no-redis-service");
    expect(e.message).toMatch(/^harness\/deployment\/fixtures\/compose\/no-redis\.yml has no Redis or Valkey service; its services: web \(nginx:1\.27\), db \(postgres:16\), metrics \(oliver006\/redis_exporter:v1\.62\.0/);
  });

  it("--service naming a non-Redis service names its image", () => {
    const e = error(() => read([`${F}/no-redis.yml`], { service: "db" }));
    expect(e.code).toBe("not-redis-image");
    expect(e.message).toContain("image postgres:16 is neither Redis nor Valkey");
  });

  it("--service naming nothing lists the services", () => {
    expect(error(() => read([`${F}/posthog.yml`], { service: "nope" })).message).toContain("its services: redis, redis7, flower");
  });

  it("a YAML error reads file:line:column: message", () => {
    const e = error(() => read([`${F}/broken-yaml.yml`]));
    expect(e.code).toBe("yaml-syntax");
    expect(e.message).toMatch(/^harness\/deployment\/fixtures\/compose\/broken-yaml\.yml:6:5: Flow sequence/);
  });

  it("a mounted file that does not exist says how to pass it", () => {
    const text = readFileSync(`${F}/production/docker-compose.yml`, "utf8").replace("source: ./conf", "source: ./missing-conf");
    const e = error(() => readDeployments([{ path: `${F}/production/docker-compose.yml`, text }]));
    expect(e.code).toBe("missing-file");
    expect(e.message).toContain(`pass the file too: gate ${F}/production/docker-compose.yml ${F}/production/missing-conf/redis.conf`);
  });

  it("a config file no volume mounts says it must come from the image", () => {
    const text = "services:\n  redis:\n    image: redis:7.2\n    command: redis-server /etc/redis/redis.conf\n";
    const e = error(() => readDeployments([{ path: "compose.yml", text }]));
    expect(e.message).toBe(
      "redis-server's config file (compose.yml:4) reads /etc/redis/redis.conf, which no volume mounts into the container: it must come from the image (redis:7.2), which the gate cannot read. Mount it from a file, or pass the file too: gate compose.yml redis.conf",
    );
    // Passing it is enough: a config baked into the image is taken by name.
    const d = readDeployments([{ path: "compose.yml", text }, { path: "redis.conf", text: "appendonly yes\n" }]).deployments[0] as Deployment;
    expect(d.configFile).toEqual({ path: "/etc/redis/redis.conf", readFrom: "redis.conf (taken as /etc/redis/redis.conf)" });
  });

  it("a given file that nothing reads is an error, not silently ignored", () => {
    const e = error(() => readDeployments([...files("app-under-test/compose/docker-compose.fixed.yml"), { path: "other.conf", text: "appendonly no\n" }]));
    expect(e.code).toBe("unused-file");
    expect(e.message).toContain("other.conf is given, but no service mounts or includes it");
  });

  it("an undefined named volume and an empty volume source are what compose refuses", () => {
    expect(error(() => readDeployments([{ path: "c.yml", text: "services:\n  r:\n    image: redis\n    volumes: [nope:/data]\n" }])).message).toContain("refers to undefined volume nope");
    expect(error(() => readDeployments([{ path: "c.yml", text: "services:\n  r:\n    image: redis\n    volumes: ['${DATA}:/data']\n" }])).message).toContain("has an empty source");
  });

  it("a string command that compose cuts at `&&` is a finding", () => {
    const d = readDeployments([{ path: "c.yml", text: "services:\n  r:\n    image: redis:7.2\n    command: redis-server --appendonly yes && echo started\n" }]).deployments[0] as Deployment;
    expect(d.argv).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(ids(d)).toContain("compose-command-cut");
  });

  it("stop_signal SIGKILL makes every stop a crash", () => {
    const d = readDeployments([{ path: "c.yml", text: "services:\n  r:\n    image: redis:7.2\n    stop_signal: SIGKILL\n    volumes: ['data:/data']\nvolumes:\n  data:\n" }]).deployments[0] as Deployment;
    expect(ids(d)).toEqual(["stop-signal-kill"]);
  });

  it("any stop_signal but SIGTERM or SIGINT makes every stop a crash too (Redis as PID 1 ignores SIGQUIT until the SIGKILL)", () => {
    const withSignal = (signal: string): string[] => ids(readDeployments([{ path: "c.yml", text: `services:\n  r:\n    image: redis:7.2\n    stop_signal: ${signal}\n    volumes: ['data:/data']\nvolumes:\n  data:\n` }]).deployments[0] as Deployment);
    for (const signal of ["SIGQUIT", "quit", "SIGHUP", "SIGUSR1", "\"3\""]) expect(withSignal(signal), signal).toEqual(["stop-signal-kill"]);
    for (const signal of ["SIGTERM", "SIGINT", "int", "\"15\"", "\"2\""]) expect(withSignal(signal), signal).toEqual([]);
  });

  it("--grace overrides the compose stop grace", () => {
    expect(only([`${F}/production/docker-compose.yml`], { graceMs: 2000 }).stopGrace).toEqual({ ms: 2000, source: "--grace" });
  });
});

describe("less common shapes", () => {
  const compose = (text: string, extra: { path: string; text: string }[] = []) => readDeployments([{ path: `${F}/inline.yml`, text }, ...extra]).deployments[0] as Deployment;

  it("a wildcard include over a bind-mounted directory reads every match in order", () => {
    const d = compose("services:\n  r:\n    image: redis:7.2\n    command: redis-server --include /usr/local/etc/redis/l*.conf\n    volumes: ['./production/conf:/usr/local/etc/redis', 'data:/data']\nvolumes:\n  data:\n");
    expect(d.directives.map((x) => x.text)).toEqual(["requirepass change-me", "no-appendfsync-on-rewrite no"]);
    const none = compose("services:\n  r:\n    image: redis:7.2\n    command: redis-server --include /usr/local/etc/redis/none-*.conf\n    volumes: ['./production/conf:/usr/local/etc/redis', 'data:/data']\nvolumes:\n  data:\n");
    expect(none.findings.map((f) => f.id)).toEqual(["include-matched-nothing"]);
  });

  it("a wildcard include into a volume is refused as unreadable, not read as matching nothing (its files appear at run time)", () => {
    expect(() => compose("services:\n  r:\n    image: redis:7.2\n    command: redis-server --appendonly yes --appendfsync always --include /data/conf.d/*.conf\n    volumes: ['data:/data']\nvolumes:\n  data:\n")).toThrow(
      /reads \/data\/conf.d\/\*\.conf, which is inside the named-volume data mounted at \/data: its content is not in the files given \(Redis includes whatever matches there when it starts\)/,
    );
  });

  it("a wildcard include outside any volume reads the files a file mount or the start script's `cp` puts there (found by review: read as matching nothing)", () => {
    const k8s = readDeployments([{ path: "k.yaml", text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata:\n  extra.conf: |\n    appendonly no\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec:\n  containers:\n    - name: r\n      image: redis:7.2\n      command: [redis-server, --appendonly, 'yes', --include, '/usr/local/etc/redis/*.conf']\n      volumeMounts:\n        - {name: extra, mountPath: /usr/local/etc/redis/extra.conf, subPath: extra.conf}\n  volumes:\n    - {name: extra, configMap: {name: extra}}\n" }]).deployments[0] as Deployment;
    expect(k8s.directives.map((x) => x.text)).toEqual([`appendonly "yes"`, "appendonly no"]);
    const copied = compose("services:\n  r:\n    image: redis:7.2\n    command: sh -c \"cp /conf/r.conf /etc/redis/conf.d/r.conf && exec redis-server --appendonly yes --include '/etc/redis/conf.d/*.conf'\"\n    volumes: ['./production/conf/local.conf:/conf/r.conf:ro', 'data:/data']\nvolumes:\n  data:\n");
    expect(copied.directives.map((x) => x.text)).toEqual([`appendonly "yes"`, "requirepass change-me", "no-appendfsync-on-rewrite no"]);
    expect(copied.findings.map((f) => f.id)).not.toContain("include-matched-nothing");
  });

  it("a compose `configs:` file is mounted at its target", () => {
    const d = compose("services:\n  r:\n    image: redis:7.2\n    command: ['redis-server', '/etc/redis.conf']\n    configs:\n      - source: redis_conf\n        target: /etc/redis.conf\n    volumes: ['data:/data']\nconfigs:\n  redis_conf:\n    file: ./sentry-redis.conf\nvolumes:\n  data:\n");
    expect(d.configFile).toEqual({ path: "/etc/redis.conf", readFrom: `${F}/sentry-redis.conf` });
    expect(d.mounts.map((m) => m.kind)).toEqual(["named-volume", "config"]);
  });

  it("Bitnami with a mounted redis.conf copies it and applies none of the environment", () => {
    const d = compose(
      "services:\n  r:\n    image: bitnami/redis:7.2\n    environment: [ALLOW_EMPTY_PASSWORD=yes, REDIS_AOF_ENABLED=yes]\n    volumes:\n      - ./sentry-redis.conf:/opt/bitnami/redis/mounted-etc/redis.conf\n      - data:/bitnami/redis/data\nvolumes:\n  data:\n",
    );
    expect(d.directives.map((x) => x.text)).toEqual(["maxmemory 0", "maxmemory-policy volatile-lru", 'daemonize "no"']);
    expect(d.configFile?.readFrom).toContain("the environment is then not applied");
    // Its dir is Redis's working directory: Bitnami sets none, so / (not the volume).
    expect(d.dataDir).toMatchObject({ path: "/", onStorage: false });
    expect(d.findings.map((f) => f.id)).toEqual(["dir-not-on-storage"]);
  });

  it("redis-stack-server: REDIS_ARGS and --dir as its entrypoint passes them", () => {
    const d = compose("services:\n  r:\n    image: redis/redis-stack-server:7.2.0-v10\n    environment:\n      REDIS_ARGS: --appendonly yes --appendfsync always\n    volumes: ['data:/data']\nvolumes:\n  data:\n");
    expect(d.argv).toEqual(["redis-stack-server", "--dir", "/data", "--appendonly", "yes", "--appendfsync", "always"]);
    expect(d.pid1).toMatchObject({ process: "dumb-init", sigterm: "reaches-server" });
    expect(d.dataDir).toMatchObject({ path: "/data", onStorage: true });
    expect(d.unreadable.join(" ")).toContain("Stack modules");
  });

  it("a relative include is opened from Redis's working directory, not next to the including file", () => {
    const text = "services:\n  r:\n    image: redis:7.2\n    command: ['redis-server', '/usr/local/etc/redis/redis.conf']\n    volumes: ['./production/conf:/usr/local/etc/redis', 'data:/data']\nvolumes:\n  data:\n";
    const e = error(() => compose(text, [{ path: `${F}/production/conf/redis.conf`, text: "include local.conf\n" }]));
    expect(e.message).toBe(
      `${F}/production/conf/redis.conf:1 reads /data/local.conf, which is inside the named-volume data mounted at /data: its content is not in the files given (Redis opens a relative include from its working directory, /data, not from the including file's directory: write the full path)`,
    );
  });

  it("an entrypoint list replaces the image's entrypoint and its CMD", () => {
    const d = compose("services:\n  r:\n    image: redis:7.2\n    entrypoint: ['redis-server', '--appendonly', 'yes']\n    volumes: ['data:/data']\nvolumes:\n  data:\n");
    expect(d.argv).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(d.pid1.process).toBe("redis-server");
  });
});

describe("`extends:` (compose/extends.yml)", () => {
  it("a Redis service that extends another is refused with the command that resolves it, never dropped or judged as its base", () => {
    const e = error(() => read([`${F}/extends.yml`]));
    expect(e.code).toBe("unsupported");
    expect(e.message).toMatch(/service redis-sessions extends redis, which the readers do not follow: run `docker compose -f .*extends\.yml config > resolved\.yml` and gate resolved\.yml/);
  });

  it("a service with an image of its own that is plainly not Redis may extend: it is skipped as before", () => {
    const text = "# t\nservices:\n  redis:\n    image: redis:7.2\n    volumes: [d:/data]\n  worker:\n    image: python:3.12-slim\n    extends: {file: ../common.yml, service: worker}\nvolumes: {d: {}}\n";
    const set = readDeployments([{ path: "c.yml", text }]);
    expect(set.deployments.map((d) => d.name)).toEqual(["redis"]);
    expect(set.skipped.map((s) => s.name)).toEqual(["worker"]);
  });

  it("a service with no image of its own that extends one in another file is refused: its image is unknown", () => {
    const text = "# t\nservices:\n  redis:\n    extends:\n      file: ../docker-compose.base.yml\n      service: redis\n";
    expect(error(() => readDeployments([{ path: "c.yml", text }])).message).toMatch(/service redis extends redis of \.\.\/docker-compose\.base\.yml/);
  });
});

