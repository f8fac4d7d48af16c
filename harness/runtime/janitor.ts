import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts the detached janitor for a run; it exits by itself once `ownerPid` is gone; `leaseImage` takes the lease again if it lapsed. Returns its pid. */
export function startJanitor(ownerPid: number, runId: string, leaseImage?: string): number | undefined {
  const entry = fileURLToPath(new URL("./janitor-process.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", entry, String(ownerPid), runId, ...(leaseImage ? [leaseImage] : [])], {
    detached: true,
    stdio: "ignore",
    env: process.env,
  });
  child.unref();
  return child.pid;
}
