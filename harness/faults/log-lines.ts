/** Redis log lines matching `pattern`, without their `pid:role date time level` prefix, oldest first. */
export function logLines(log: string, pattern: RegExp): string[] {
  return log
    .split("\n")
    .filter((line) => pattern.test(line))
    .map((line) => line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [-.*#] /, "").trim());
}
