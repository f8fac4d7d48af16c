import { it } from "vitest";
import { powerLossUnsupportedReason } from "../../harness/runtime/power-loss-support.js";

/** Set to 1 to turn cases that cannot run here into skips (the reason in their name); by default they fail. */
export const ALLOW_UNSUPPORTED = process.env.REDIS_PERSISTENCE_ALLOW_UNSUPPORTED === "1";

/** Why cases on fault-fs cannot run on this machine (given the image, a probe container proves it), or undefined when they can. */
export function faultFsUnsupportedReason(image?: string): Promise<string | undefined> {
  return powerLossUnsupportedReason(image);
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
