import { it } from "vitest";
import { faultFsSupport } from "../../harness/faults/fault-fs/support.js";

/** Set to 1 to turn cases that cannot run here into skips (the reason in their name); by default they fail. */
export const ALLOW_UNSUPPORTED = process.env.REDIS_PERSISTENCE_ALLOW_UNSUPPORTED === "1";

/** Why cases on fault-fs cannot run on this machine, or undefined when they can. */
export async function faultFsUnsupportedReason(): Promise<string | undefined> {
  // The mount is made on this host and bind-mounted by path: a remote engine would not see it.
  const dockerHost = process.env.DOCKER_HOST ?? "";
  if (dockerHost && !dockerHost.startsWith("unix://")) return `fault-fs unsupported here: the Docker engine is remote (DOCKER_HOST=${dockerHost}), it cannot bind-mount a FUSE mount of this host`;
  const support = await faultFsSupport();
  return support.supported ? undefined : support.reason;
}

/** Registers a case that needs fault-fs: as is where it can run; else a failing case, or a skip under ALLOW_UNSUPPORTED. */
export function faultFsCase(unsupported: string | undefined, name: string, body: () => Promise<void>): void {
  if (unsupported === undefined) it(name, body);
  else if (ALLOW_UNSUPPORTED) it.skip(`${name} [${unsupported}]`, body);
  else {
    it(name, () => {
      throw new Error(`not run: ${unsupported} (set REDIS_PERSISTENCE_ALLOW_UNSUPPORTED=1 to skip instead of failing)`);
    });
  }
}
