import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Writes a copy of a config with some directives replaced (directive -> new line); returns its path. */
export function weakenConfig(configFile: string, replacements: Record<string, string>): string {
  let text = readFileSync(configFile, "utf8");
  for (const [directive, line] of Object.entries(replacements)) {
    const pattern = new RegExp(`^${directive}\\b.*$`, "gm");
    if (!pattern.test(text)) throw new Error(`${configFile} has no "${directive}" line to weaken`);
    text = text.replace(pattern, "").concat(`\n${line}\n`);
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "redis-persistence-weakened-")), path.basename(configFile));
  writeFileSync(file, text);
  return file;
}
