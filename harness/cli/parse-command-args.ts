import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "./exit-codes.js";

/** node:util parseArgs with strict checking, its errors turned into usage errors that point at --help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: T) {
  return parseStrict(command, { args, options, strict: true, allowPositionals: false }).values;
}

/** As parseCommandArgs, for a command that also takes operands (files, directories). */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: T) {
  return parseStrict(command, { args, options, strict: true, allowPositionals: true });
}

function parseStrict<C extends ParseArgsConfig>(command: string, config: C): ReturnType<typeof parseArgs<C>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${command}: ${message}. See \`redis-persistence ${command} --help\`.`);
  }
}
