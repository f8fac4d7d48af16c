import type { DeploymentDirective, Finding } from "./deployment.js";
import type { FileFinder } from "./conf-reader.js";
import { readConfText } from "./conf-reader.js";

/** What Bitnami's run.sh starts: the config its scripts wrote, and the flags after it. */
export interface BitnamiStart {
  /** redis-server's argv: the config file, `--daemonize no`, REDIS_EXTRA_FLAGS, run.sh's own arguments. */
  argv: string[];
  configPath: string;
  /** The config file as the scripts leave it (when `setup` ran): a mounted one, or the image's with the environment applied. */
  directives: DeploymentDirective[];
  readFrom: string;
  findings: Finding[];
  unreadable: string[];
}

/**
 * Bitnami's start-up, as bitnami/containers `bitnami/redis/7.4/debian-12` reads (postunpack.sh,
 * libredis.sh `redis_configure_default`, run.sh): at build time the image copies its
 * redis-default.conf (Redis's stock redis.conf) and sets `port 6379`, `dir /bitnami/redis/data`,
 * `daemonize yes`, `logfile ""` and appends `save ""` (RDB off, "AOF persistence already
 * enabled"). At start, setup.sh either copies a mounted `mounted-etc/redis.conf` over it, and
 * then applies nothing from the environment, or applies REDIS_AOF_ENABLED (default yes) as
 * `appendonly`, REDIS_RDB_POLICY ("900#1 600#10") as appended `save` lines (or `save ""` when
 * REDIS_RDB_POLICY_DISABLED=yes), ALLOW_EMPTY_PASSWORD (protected-mode no), REDIS_PORT_NUMBER,
 * REDIS_PASSWORD (requirepass), REDIS_DISABLE_COMMANDS (rename-command ... ""), and an include of
 * REDIS_OVERRIDES_FILE when it exists. run.sh then execs `redis-server <conf> --daemonize no
 * $REDIS_EXTRA_FLAGS "$@"`. The same for bitnami/valkey with VALKEY_ names and paths.
 */
export function bitnamiStart(
  product: "redis" | "valkey",
  extraArgs: string[],
  setup: boolean,
  env: Record<string, string>,
  findMounted: FileFinder,
  serverVersion: string | undefined,
): BitnamiStart {
  const P = product.toUpperCase();
  const base = `/opt/bitnami/${product}`;
  const configPath = `${base}/etc/${product}.conf`;
  const mountedPath = `${base}/mounted-etc/${product}.conf`;
  const get = (name: string, fallback: string): string => env[name] ?? fallback;
  const yes = (value: string): boolean => /^(yes|true|1)$/i.test(value);
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  const argv = [`${product}-server`, configPath, "--daemonize", "no", ...get(`${P}_EXTRA_FLAGS`, "").split(/[ \t\n]+/).filter(Boolean), ...extraArgs];

  const mounted = tryFind(findMounted, mountedPath);
  if (setup && mounted) {
    const read = readConfText(mounted, mountedPath, serverVersion);
    return { argv, configPath, directives: read.directives, readFrom: `${mounted.display} (copied to ${configPath} by setup.sh; the environment is then not applied)`, findings: [...findings, ...read.findings], unreadable };
  }
  const image = (what: string, name: string, args: string[]): DeploymentDirective => ({ name, args, text: `${name} ${args.map((a) => (a === "" ? '""' : a)).join(" ")}`, origin: { kind: "image", what } });
  const fromEnv = (variable: string, name: string, args: string[]): DeploymentDirective => ({ name, args, text: `${name} ${args.map((a) => (a === "" ? '""' : a)).join(" ")}`, origin: { kind: "env", variable, source: "Bitnami setup.sh" } });
  const built = `Bitnami postunpack.sh (bitnami/${product} image build)`;
  const directives: DeploymentDirective[] = [
    image(built, "port", ["6379"]),
    image(built, "dir", [`/bitnami/${product}/data`]),
    image(built, "daemonize", ["yes"]),
    image(built, "logfile", [""]),
    image(built, "save", [""]),
  ];
  unreadable.push(`the rest of Bitnami's ${product}-default.conf (the image's copy of the stock ${product}.conf) is not read: its persistence lines are the stock defaults, and only what Bitnami's scripts set is modelled`);
  if (!setup) {
    unreadable.push("setup.sh did not run (the entrypoint was replaced), so the environment was not applied: the image's build-time config is used as is");
    return { argv, configPath, directives, readFrom: `${configPath} (as the image builds it)`, findings, unreadable };
  }
  if (yes(get("ALLOW_EMPTY_PASSWORD", "no"))) directives.push(fromEnv("ALLOW_EMPTY_PASSWORD", "protected-mode", ["no"]));
  if (yes(get(`${P}_ALLOW_REMOTE_CONNECTIONS`, "yes"))) directives.push(fromEnv(`${P}_ALLOW_REMOTE_CONNECTIONS`, "bind", ["0.0.0.0", "::"]));
  directives.push(fromEnv(`${P}_AOF_ENABLED`, "appendonly", [get(`${P}_AOF_ENABLED`, "yes")]));
  const policy = get(`${P}_RDB_POLICY`, "");
  if (policy.trim() !== "") {
    for (const point of policy.trim().split(/\s+/)) directives.push(fromEnv(`${P}_RDB_POLICY`, "save", point.split("#")));
  } else if (yes(get(`${P}_RDB_POLICY_DISABLED`, "no"))) directives.push(fromEnv(`${P}_RDB_POLICY_DISABLED`, "save", [""]));
  directives.push(fromEnv(`${P}_PORT_NUMBER`, "port", [get(`${P}_PORT_NUMBER`, "6379")]));
  const password = env[`${P}_REQUIREPASS`] ?? env[`${P}_PASSWORD`];
  if (password) directives.push(fromEnv(`${P}_PASSWORD`, "requirepass", [password]));
  for (const command of get(`${P}_DISABLE_COMMANDS`, "").split(",").map((c) => c.trim()).filter(Boolean)) directives.push(fromEnv(`${P}_DISABLE_COMMANDS`, "rename-command", [command, ""]));
  if (get(`${P}_ACLFILE`, "")) directives.push(fromEnv(`${P}_ACLFILE`, "aclfile", [get(`${P}_ACLFILE`, "")]));
  const overrides = get(`${P}_OVERRIDES_FILE`, `${base}/mounted-etc/overrides.conf`);
  if (tryFind(findMounted, overrides)) directives.push(fromEnv(`${P}_OVERRIDES_FILE`, "include", [overrides]));
  if (env.ALLOW_EMPTY_PASSWORD === undefined && !password) {
    findings.push({ id: "bitnami-no-password", severity: "info", message: `neither ALLOW_EMPTY_PASSWORD=yes nor ${P}_PASSWORD is set: Bitnami's setup refuses to start`, fix: `set ${P}_PASSWORD (or ALLOW_EMPTY_PASSWORD=yes for development)` });
  }
  return { argv, configPath, directives, readFrom: `${configPath} (written by Bitnami's scripts from the environment)`, findings, unreadable };
}

// A finder that says "not mounted" instead of throwing.
function tryFind(find: FileFinder, containerPath: string): ReturnType<FileFinder>[number] | undefined {
  try {
    return find(containerPath, "Bitnami's setup.sh")[0];
  } catch {
    return undefined;
  }
}
