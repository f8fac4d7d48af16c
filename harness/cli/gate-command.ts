import { readFileSync } from "node:fs";
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
import { GATE_HELP } from "./help.js";
import { parseDurationMs, parseMiB, parseNameList } from "./options.js";
import { parseCommandArgs } from "./parse-command-args.js";
import type { CliIo } from "./session-scope.js";
import { EnvironmentError, withSession } from "./session-scope.js";

/** Docker's own default stop grace, in ms. */
export const DEFAULT_GRACE_MS = 10_000;
const DEFAULT_GATE_DATASET_MIB = 64;

/** What `gate` produced: the exit code and the report (or the config error). */
export interface GateOutcome {
  exitCode: number;
  report?: GateReport;
  configError?: GateConfigError;
}

/** `redis-persistence gate`: explains and checks one redis.conf, runs it under the faults, exits 0 only within the bound. */
export async function gateCommand(args: string[], io: CliIo): Promise<GateOutcome> {
  const values = parseCommandArgs("gate", args, {
    config: { type: "string" },
    "max-loss": { type: "string" },
    grace: { type: "string" },
    faults: { type: "string" },
    "dataset-size": { type: "string" },
    image: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.out(GATE_HELP);
    return { exitCode: EXIT.ok };
  }
  if (values.config === undefined) throw new UsageError("gate: --config <redis.conf> is required. See `redis-persistence gate --help`.");
  if (values["max-loss"] === undefined) throw new UsageError("gate: --max-loss is required, e.g. --max-loss 0 (nothing acknowledged) or --max-loss 1s.");
  const configFile = values.config;
  const text = readConfig(configFile);
  const options = {
    configFile,
    maxLossMs: parseDurationMs("--max-loss", values["max-loss"]),
    graceMs: values.grace !== undefined ? parseDurationMs("--grace", values.grace) : DEFAULT_GRACE_MS,
    faults: values.faults !== undefined ? await namedGateFaults(values.faults) : await defaultGateFaults(io),
    datasetMiB: values["dataset-size"] !== undefined ? parseMiB("--dataset-size", values["dataset-size"]) : DEFAULT_GATE_DATASET_MIB,
  };
  try {
    // Lines the gate cannot follow are reported before Docker is needed.
    const unsupported = parseConf(text).unsupported;
    if (unsupported.length > 0) throw new GateConfigError(configFile, unsupported, "gate");
    const report = await withSession(io, values.image, (session) =>
      runGate({ ...options, image: session.image.name }, (line) => io.err(`[gate] ${line}\n`)),
    );
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
