import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The folder of this `npm test` run's scratch files (weakened configs), named by its run id; the global teardown removes it. */
export function suiteScratchRoot(): string {
  return path.join(tmpdir(), `redis-persistence-suite-${process.env.REDIS_PERSISTENCE_RUN_ID ?? "local"}`);
}

/** A new folder under the run's scratch root; also removed when this process exits normally. */
export function suiteScratchDir(name: string): string {
  mkdirSync(suiteScratchRoot(), { recursive: true });
  const dir = mkdtempSync(path.join(suiteScratchRoot(), `${name}-`));
  // A test worker that is ended by a signal never gets here: the global teardown removes the root.
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
