import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * Network and process settings appended to the user's config so the harness can reach the server
 * in a container (Redis lets a later line override an earlier one). No persistence setting is touched.
 */
export const GATE_OVERRIDES: readonly string[] = [
  "daemonize no",
  "supervised no",
  'logfile ""',
  'unixsocket ""',
  "bind 0.0.0.0",
  "port 6379",
  "protected-mode no",
  'requirepass ""',
];

/** The user's config plus the overrides, in a temporary file; `userLines` is how many lines are the user's. */
export interface DerivedConfig {
  file: string;
  userLines: number;
  remove(): Promise<void>;
}

/** The config text the gate runs: the user's lines unchanged (same line numbers), then the overrides. Pure. */
export function deriveConfigText(userText: string, extra: readonly string[] = []): { text: string; userLines: number } {
  const body = userText.endsWith("\n") || userText === "" ? userText : `${userText}\n`;
  const userLines = body === "" ? 0 : body.split("\n").length - 1;
  return { text: `${body}# --- appended by redis-persistence gate: networking only, so the harness can connect ---\n${[...GATE_OVERRIDES, ...extra].join("\n")}\n`, userLines };
}

/** Writes the derived config to a temporary directory; `remove()` deletes it. */
export async function writeDerivedConfig(userText: string, extra: readonly string[] = []): Promise<DerivedConfig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-gate-"));
  const file = path.join(dir, "redis.conf");
  const { text, userLines } = deriveConfigText(userText, extra);
  await writeFile(file, text, { mode: 0o644 });
  return { file, userLines, remove: () => rm(dir, { recursive: true, force: true }) };
}
