/** Redis's "*** FATAL CONFIG FILE ERROR ***" block: the line, the text Redis read, and its message. */
export interface FatalConfigError {
  line: number | undefined;
  text: string | undefined;
  message: string;
}

/** Reads the FATAL CONFIG FILE ERROR block out of a Redis log; undefined when there is none. Pure. */
export function parseFatalConfigError(log: string): FatalConfigError | undefined {
  const lines = log.split(/\r?\n/);
  const start = lines.findIndex((l) => l.includes("*** FATAL CONFIG FILE ERROR"));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1).filter((l) => l.trim() !== "");
  const at = rest.findIndex((l) => /at line \d+/.test(l));
  const lineNumber = at >= 0 ? Number(/at line (\d+)/.exec(rest[at] ?? "")?.[1]) : undefined;
  const quoted = rest.find((l) => l.startsWith(">>> "));
  const text = quoted?.slice(4).replace(/^'(.*)'$/, "$1");
  const message = rest.filter((l, i) => i !== at && l !== quoted).join(" ").trim();
  return { line: lineNumber, text, message: message || "Redis gave no reason" };
}
