import type { TestProject } from "vitest/node";
import { rmSync } from "node:fs";
import { openSession } from "../../harness/runtime/session.js";
import { suiteScratchRoot } from "./scratch-dir.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisImage: string;
    redisImageOrigin: string;
    runId: string;
    ownerPid: number;
    ryukDisabled: boolean;
  }
}

/** Once per `npm test`: engine, leftovers of interrupted runs, image (built offline if needed). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const session = await openSession();
  process.stderr.write(`[suite] run ${session.runId} on ${session.image.name} (${session.image.origin})\n`);
  project.provide("redisImage", session.image.name);
  project.provide("redisImageOrigin", session.image.origin);
  project.provide("runId", session.runId);
  project.provide("ownerPid", process.pid);
  project.provide("ryukDisabled", process.env.TESTCONTAINERS_RYUK_DISABLED === "true");
  return async () => {
    rmSync(suiteScratchRoot(), { recursive: true, force: true });
    await session.close();
  };
}
