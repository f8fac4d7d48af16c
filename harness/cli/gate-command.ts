import { readFileSync } from "node:fs";
import { parseCommandLine } from "./parse-command-args.js";
import type { Deployment } from "../deployment/index.js";
import { DeploymentError, detectKind, readDeploymentFiles } from "../deployment/index.js";
import { deploymentLabel, gateInputOf } from "../gate/deployment-gate.js";
import { NAMED_FAULTS, needsFaultFs } from "../faults/index.js";
import { DEFAULT_GATE_FAULTS } from "../gate/gate-faults.js";
import { faultFsSupport } from "../faults/fault-fs/support.js";
import { GateConfigError } from "../gate/gate-config-error.js";
import type { GateReport } from "../gate/gate-report.js";
import { GATE_SCHEMA_VERSION } from "../gate/gate-report.js";
import { parseConf } from "../gate/parse-conf.js";
import { renderGate, renderGateConfigError } from "../gate/render-gate.js";
import { runGate } from "../gate/run-gate.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { confImage, deploymentImage } from "./gate-image.js";
import { GATE_HELP } from "./help.js";
import { parseDurationMs, parseMiB, parseNameList } from "./options.js";
import type { CliIo } from "./session-scope.js";
import { EnvironmentError, withSession } from "./session-scope.js";

/** Docker's own default stop grace, in ms. */
export const DEFAULT_GRACE_MS = 10_000;
const DEFAULT_GATE_DATASET_MIB = 64;

/** What `gate` produced: the exit code and the report (or the config error); `reports` has one per deployment judged. */
export interface GateOutcome {
  exitCode: number;
  report?: GateReport;
  reports?: GateReport[];
  configError?: GateConfigError;
  deploymentError?: DeploymentError;
}

const GATE_OPTIONS = {
  config: { type: "string", multiple: true },
  "max-loss": { type: "string" },
  grace: { type: "string" },
  faults: { type: "string" },
  "dataset-size": { type: "string" },
  image: { type: "string" },
  service: { type: "string" },
  command: { type: "string" },
  env: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `redis-persistence gate`: explains and checks a redis.conf, or every Redis/Valkey server of a
 * deployment as written (compose files, Kubernetes manifests, a command line), runs each under the
 * faults, exits 0 only when every one is within the bound.
 */
export async function gateCommand(args: string[], io: CliIo): Promise<GateOutcome> {
  const { values, positionals } = parseCommandLine("gate", args, GATE_OPTIONS);
  if (values.help) {
    io.out(GATE_HELP);
    return { exitCode: EXIT.ok };
  }
  const files = [...(values.config ?? []), ...positionals];
  if (files.length === 0 && values.command === undefined) {
    throw new UsageError("gate: give the files to check (a redis.conf, compose files or Kubernetes manifests: `gate FILE...` or --config FILE), or --command \"redis-server ...\". See `redis-persistence gate --help`.");
  }
  if (values["max-loss"] === undefined) throw new UsageError("gate: --max-loss is required, e.g. --max-loss 0 (nothing acknowledged) or --max-loss 1s.");
  const graceMs = values.grace !== undefined ? parseDurationMs("--grace", values.grace) : undefined;
  const common = {
    maxLossMs: parseDurationMs("--max-loss", values["max-loss"]),
    faults: values.faults !== undefined ? await namedGateFaults(values.faults) : await defaultGateFaults(io),
    datasetMiB: values["dataset-size"] !== undefined ? parseMiB("--dataset-size", values["dataset-size"]) : DEFAULT_GATE_DATASET_MIB,
  };
  const single = files.length === 1 && values.command === undefined && values.service === undefined ? files[0] : undefined;
  if (single === undefined || !isBareConf(single)) {
    return gateDeployments(files, { ...values, graceMs }, common, io);
  }
  const configFile = single;
  const text = readConfig(configFile);
  const options = { configFile, graceMs: graceMs ?? DEFAULT_GRACE_MS, ...common };
  try {
    // Lines the gate cannot follow are reported before Docker is needed.
    const unsupported = parseConf(text).unsupported;
    if (unsupported.length > 0) throw new GateConfigError(configFile, unsupported, "gate");
    const chosen = values.image !== undefined || Boolean(process.env.REDIS_IMAGE);
    const report = await withSession(io, values.image, async (session) => {
      const { image, note } = chosen ? { image: session.image.name } : await confImage(text, session);
      if (note !== undefined) io.err(`[gate] ${note}\n`);
      const gated = await runGate({ ...options, image }, (line) => io.err(`[gate] ${line}\n`));
      if (note !== undefined) gated.notes.unshift(`${note}: ${verdictFor(gated, image)}`);
      return gated;
    });
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderGate(report));
    return { exitCode: report.passed ? EXIT.ok : EXIT.failed, report };
  } catch (error) {
    if (!(error instanceof GateConfigError)) throw error;
    if (values.json) {
      io.out(`${JSON.stringify({ schemaVersion: GATE_SCHEMA_VERSION, configFile, passed: false, configError: { origin: error.origin, problems: error.problems, hints: error.hints } }, null, 2)}\n`);
    } else io.err(renderGateConfigError(error));
    return { exitCode: EXIT.usage, configError: error };
  }
}

/** A single redis.conf without `include`: the gate reads it line by line, as written (line numbers as in the file). */
function isBareConf(file: string): boolean {
  const text = readConfig(file);
  try {
    return detectKind({ path: file, text }).kind === "conf" && !/^\s*include\s/im.test(text);
  } catch {
    return false;
  }
}

interface DeploymentValues extends DeploymentReadValues {
  json?: boolean | undefined;
}

/** Every Redis/Valkey server the files deploy, each gated on its own settings, storage and grace; the worst decides. */
async function gateDeployments(files: string[], values: DeploymentValues, common: { maxLossMs: number; faults: string[]; datasetMiB: number }, io: CliIo): Promise<GateOutcome> {
  let deployments: Deployment[];
  try {
    deployments = await readGateDeployments(files, values);
  } catch (error) {
    if (!(error instanceof DeploymentError)) throw error;
    if (values.json) io.out(`${JSON.stringify({ schemaVersion: GATE_SCHEMA_VERSION, passed: false, deploymentError: { code: error.code, message: error.message, ...(error.file !== undefined ? { file: error.file } : {}) } }, null, 2)}\n`);
    else io.err(`gate: ${error.message}\n`);
    return { exitCode: EXIT.usage, deploymentError: error };
  }
  const reports: GateReport[] = [];
  try {
    await withSession(io, values.image, async (session) => {
      for (const d of deployments) {
        const label = deploymentLabel(d);
        io.err(`[gate] ${label}\n`);
        const { image, note } = await deploymentImage(d, session, values.image !== undefined);
        const report = await runGate(
          { configFile: label, graceMs: d.stopGrace.ms, ...common, image, deployment: gateInputOf(d) },
          (line) => io.err(`[gate] ${label}: ${line}\n`),
        );
        if (report.deployment) {
          const versionNote = note ?? (d.version !== undefined && !sameLine(d.version, report.serverVersion) ? `${d.image?.reference ?? "the deployment"} names ${d.version}` : undefined);
          if (versionNote !== undefined) report.deployment.imageNote = `${versionNote}: ${verdictFor(report, image)}`;
        }
        reports.push(report);
        if (!values.json) io.out(renderGate(report));
      }
    });
  } catch (error) {
    if (!(error instanceof GateConfigError)) throw error;
    if (values.json) {
      io.out(`${JSON.stringify({ schemaVersion: GATE_SCHEMA_VERSION, configFile: error.configFile, passed: false, configError: { origin: error.origin, problems: error.problems, hints: error.hints } }, null, 2)}\n`);
    } else io.err(renderGateConfigError(error));
    return { exitCode: EXIT.usage, configError: error, reports };
  }
  const passed = reports.every((r) => r.passed);
  if (values.json) {
    io.out(`${JSON.stringify(reports.length === 1 ? reports[0] : { schemaVersion: GATE_SCHEMA_VERSION, passed, services: reports }, null, 2)}\n`);
  } else if (reports.length > 1) {
    io.out(`\ngate: ${reports.length} servers judged, the worst decides: ${passed ? "PASS" : `FAIL: ${reports.filter((r) => !r.passed).map((r) => r.configFile).join(", ")}`}\n`);
  }
  const [first] = reports;
  return { exitCode: passed ? EXIT.ok : EXIT.failed, reports, ...(reports.length === 1 && first ? { report: first } : {}) };
}

/** What the deployment readers take from a command line (`gate`, `matrix --deployment`). */
export interface DeploymentReadValues {
  image?: string | undefined;
  service?: string | undefined;
  command?: string | undefined;
  env?: string[] | undefined;
  graceMs: number | undefined;
}

/** Every Redis/Valkey server the files deploy, read as `gate` reads them (--env over the environment, --grace, --service, --image, --command); throws DeploymentError. */
export async function readGateDeployments(files: string[], values: DeploymentReadValues, command = "gate"): Promise<Deployment[]> {
  const set = await readDeploymentFiles(files, {
    env: { ...process.env, ...parseEnv(values.env ?? [], command) } as Record<string, string>,
    ...(values.graceMs !== undefined ? { graceMs: values.graceMs } : {}),
    ...(values.service !== undefined ? { service: values.service } : {}),
    ...(values.image !== undefined ? { image: values.image } : {}),
    ...(values.command !== undefined ? { command: values.command } : {}),
  });
  return set.deployments;
}

/** "this verdict is for Redis 8.0.2 on IMAGE": the server that really ran. */
function verdictFor(report: GateReport, image: string): string {
  return `this verdict is for ${report.serverVersion.startsWith("valkey ") ? `Valkey ${report.serverVersion.slice(7)}` : `Redis ${report.serverVersion}`} on ${image}`;
}

/** "7.4" and "7.4.2" name the same line; "7.4" and "7.0.15" do not. */
function sameLine(named: string, running: string): boolean {
  const version = running.replace(/^valkey /, "");
  return version === named || version.startsWith(`${named}.`);
}

function parseEnv(pairs: string[], command: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`${command}: --env ${pair}: expected KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function readConfig(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : (error as Error).message;
    throw new UsageError(`--config ${file}: ${reason}. Give the path of the redis.conf to check.`);
  }
}

// Power loss asked for by name where fault-fs cannot run is an environment problem (exit 3), not a failed bound.
async function namedGateFaults(list: string): Promise<string[]> {
  const faults = parseNameList("--faults", list, Object.keys(NAMED_FAULTS));
  if (faults.some(needsFaultFs)) {
    const support = await faultFsSupport();
    if (!support.supported) throw new EnvironmentError(`--faults ${list}: power loss cannot run here: ${support.reason}. Drop power-loss from --faults, or run where FUSE works.`);
  }
  return faults;
}

// A default power-loss check that cannot run here is dropped out loud.
async function defaultGateFaults(io: CliIo): Promise<string[]> {
  const support = await faultFsSupport();
  if (support.supported) return [...DEFAULT_GATE_FAULTS];
  io.err(`[gate] power loss NOT checked: ${support.reason}\n`);
  return DEFAULT_GATE_FAULTS.filter((name) => name !== "power-loss");
}
