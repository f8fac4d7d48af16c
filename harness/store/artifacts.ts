import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { runId } from "../runtime/labels.js";
import { PROJECT_ROOT } from "../runtime/project-root.js";

/** What is kept of a case for a person to look at afterwards. */
export interface CaseArtifacts {
  caseName: string;
  history: unknown;
  verdict: unknown;
  redisLog: string;
  configFile: string;
  dataDirListing: string;
}

/** The folder artifacts go to: REDIS_PERSISTENCE_ARTIFACTS, or artifacts/ in the project (ignored by git). */
export function artifactsRoot(): string {
  return process.env.REDIS_PERSISTENCE_ARTIFACTS ?? path.join(PROJECT_ROOT, "artifacts");
}

/** Writes a case's history, verdict, Redis log, config and data-dir listing; returns the folder. */
export async function keepArtifacts(artifacts: CaseArtifacts): Promise<string> {
  const dir = path.join(artifactsRoot(), runId(), artifacts.caseName.replace(/[^a-z0-9.-]+/gi, "_"));
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, "history.json"), JSON.stringify(artifacts.history)),
    writeFile(path.join(dir, "verdict.json"), JSON.stringify(artifacts.verdict, null, 2)),
    writeFile(path.join(dir, "redis.log"), artifacts.redisLog),
    writeFile(path.join(dir, "data-dir.txt"), artifacts.dataDirListing),
    copyFile(artifacts.configFile, path.join(dir, "redis.conf")),
  ]);
  return dir;
}
