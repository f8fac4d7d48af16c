import type { FatalConfigError } from "./fatal-config-error.js";
import type { ParsedConf } from "./parse-conf.js";
import type { ImageServer } from "./server-version.js";
import type { VersionProblem } from "./unknown-directive.js";
import { versionProblem } from "./unknown-directive.js";

/** One problem that stops the gate before anything is measured: the config's line and what is wrong. */
export interface ConfigProblem {
  line?: number;
  text?: string;
  message: string;
  /** For a directive this image's server does not know but another release does: what it needs. */
  needs?: VersionProblem["needs"];
}

/** Who refused the config: Redis (its own message), the image (a directive of another version), or the gate. */
export type ConfigErrorOrigin = "redis" | "image" | "gate";

const HEADLINES: Record<ConfigErrorOrigin, string> = {
  redis: "Redis rejects this config",
  image: "this image's server does not know a directive of this config",
  gate: "the gate cannot run this config",
};

/** A config the gate cannot run: Redis rejects it, this image is the wrong version for it, or the gate does not support it. Exit code 2. */
export class GateConfigError extends Error {
  constructor(
    readonly configFile: string,
    readonly problems: ConfigProblem[],
    readonly origin: ConfigErrorOrigin,
    /** What to do about all of them, e.g. which image to pick instead. */
    readonly hints: string[] = [],
  ) {
    super(
      `${configFile}: ${HEADLINES[origin]}\n` +
        problems.map((p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ""}${p.text !== undefined ? `${p.text}\n    ` : ""}${p.message}`).join("\n") +
        hints.map((h) => `\n  ${h}`).join(""),
    );
    this.name = "GateConfigError";
  }
}

/** What Redis's refusal means: a directive of another version (every such line of the config), or Redis's own message. Pure. */
export function rejectionError(configFile: string, fatal: FatalConfigError, parsed: ParsedConf, userLines: number, server: ImageServer): GateConfigError {
  const ours = fatal.line !== undefined && fatal.line > userLines;
  if (ours) {
    return new GateConfigError(configFile, [{ ...(fatal.text !== undefined ? { text: fatal.text } : {}), message: `Redis rejected a line the gate appends (${fatal.message}); this Redis may be too old for the gate` }], "redis");
  }
  const found = parsed.directives.flatMap((d) => {
    const problem = versionProblem(d.name, server);
    return problem ? [{ directive: d, problem }] : [];
  });
  if (found.some(({ directive }) => directive.line === fatal.line)) {
    const problems = found.map(({ directive: d, problem }) => ({
      line: d.line,
      text: d.text,
      message: d.line === fatal.line ? `${problem.message}; Redis says: ${fatal.message}` : problem.message,
      needs: problem.needs,
    }));
    const picks = [...new Set(found.map(({ problem }) => problem.pick))];
    return new GateConfigError(configFile, problems, "image", [...picks.map((p) => `${p.charAt(0).toUpperCase()}${p.slice(1)}.`), "Or drop those lines, if this deployment does not need them."]);
  }
  return new GateConfigError(
    configFile,
    [{ ...(fatal.line !== undefined ? { line: fatal.line } : {}), ...(fatal.text !== undefined ? { text: fatal.text } : {}), message: `Redis says: ${fatal.message}` }],
    "redis",
  );
}
