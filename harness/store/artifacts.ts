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

/** What can still be read of a case that threw: each reader may fail too, and then says so in its file. */
export interface FailedCase {
  caseName: string;
  history: unknown;
  configFile: string;
  /** The container or group it ran on, undefined when none was started. */
  server: { logs(): Promise<string>; dataDirListing?(): Promise<string> } | undefined;
}

/** Keeps what can still be read of a case that threw, and returns the error naming the folder (or the error alone when nothing could be kept). */
export async function failedCaseError(error: unknown, failed: FailedCase): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const read = (what: Promise<string> | undefined, none: string): Promise<string> => what?.catch((e: unknown) => `(could not be read: ${e instanceof Error ? e.message : String(e)})`) ?? Promise.resolve(none);
  const dir = await keepArtifacts({
    caseName: failed.caseName,
    history: failed.history ?? null,
    verdict: { error: message },
    redisLog: await read(failed.server?.logs(), "(no container)"),
    configFile: failed.configFile,
    dataDirListing: await read(failed.server?.dataDirListing?.(), "(not listed)"),
  }).catch(() => undefined);
  return dir ? new Error(`${failed.caseName}: ${message}\n  artifacts: ${dir}`, { cause: error }) : error instanceof Error ? error : new Error(message);
}
