import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appendDirectives } from "../../configs/append-directives.js";
import { suiteScratchDir } from "./scratch-dir.js";

let scratchDir: string | undefined;
let counter = 0;

// One folder per test process for weakened copies, under the run's scratch root.
const scratch = (): string => (scratchDir ??= suiteScratchDir("weakened"));

/** Writes a copy of a config with some directives replaced (directive -> new line); returns its path. */
export function weakenConfig(configFile: string, replacements: Record<string, string>): string {
  let text = readFileSync(configFile, "utf8");
  for (const [directive, line] of Object.entries(replacements)) {
    const pattern = new RegExp(`^${directive}\\b.*$`, "gm");
    if (!pattern.test(text)) throw new Error(`${configFile} has no "${directive}" line to weaken`);
    text = text.replace(pattern, "").concat(`\n${line}\n`);
  }
  const file = path.join(scratch(), `${++counter}-${path.basename(configFile)}`);
  writeFileSync(file, text);
  return file;
}

/** Writes a copy of a config with lines appended (Redis takes the last value of a directive); returns its path. */
export function withDirectivesAppended(configFile: string, lines: readonly string[]): string {
  const file = path.join(scratch(), `${++counter}-${path.basename(configFile)}`);
  writeFileSync(file, appendDirectives(readFileSync(configFile, "utf8"), lines, "npm test (a knob or a weakening)"));
  return file;
}
