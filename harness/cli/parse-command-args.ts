import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "./exit-codes.js";

/** node:util parseArgs with strict checking, its errors turned into usage errors that point at --help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${command}: ${message}. See \`redis-persistence ${command} --help\`.`);
  }
}
