import { NoDockerEngineError } from "../runtime/docker-engine.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { gateCommand } from "./gate-command.js";
import { MAIN_HELP } from "./help.js";
import { matrixCommand } from "./matrix-command.js";
import { mergeCommand } from "./merge-command.js";
import type { CliIo } from "./session-scope.js";
import { EnvironmentError } from "./session-scope.js";
import { toolInfo } from "./tool-info.js";

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs one command line (without "node" and the script) and returns its exit code; errors become messages, not stack traces. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "matrix":
        return (await matrixCommand(args, io)).exitCode;
      case "gate":
        return (await gateCommand(args, io)).exitCode;
      case "merge":
        return (await mergeCommand(args, io)).exitCode;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(MAIN_HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case "--version":
        io.out(`${toolInfo().version}\n`);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"; the commands are matrix, gate and merge (see --help)`);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError) {
    io.err(`redis-persistence: ${message}\n`);
    return EXIT.usage;
  }
  if (error instanceof NoDockerEngineError || error instanceof EnvironmentError) {
    io.err(`redis-persistence: ${message}\n`);
    return EXIT.environment;
  }
  // Not a user error: say so, and show the stack only when debugging.
  io.err(`redis-persistence: unexpected error: ${message}\n`);
  if (process.env.DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  else io.err("(run with DEBUG=redis-persistence:* for details)\n");
  return EXIT.environment;
}

/** The entry of the bin script: runs the command line and exits with its code. */
export async function runCli(argv: string[]): Promise<never> {
  const code = await main(argv);
  // Open keep-alive sockets (Docker API, Redis clients) must not hold the process.
  process.exit(code);
}
