import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../runtime/project-root.js";

/** This tool's name and version, from package.json. */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { name?: string; version?: string };
  return { name: pkg.name ?? "redis-persistence", version: pkg.version ?? "0.0.0" };
}
