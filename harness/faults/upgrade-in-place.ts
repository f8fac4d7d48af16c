import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";

/** An upgrade as operators do it: stop with grace, remove, start a newer image on the same named volume. */
export function upgradeInPlace(toImage: string): Fault<"upgrade-in-place"> {
  return {
    name: "upgrade-in-place",
    description: `SIGTERM with 30 s grace, remove, start ${toImage} on the same named volume`,
    inject: (node) => node.stop(GRACEFUL_STOP_GRACE_MS),
    heal: (node, ctx) => node.recreate(ctx.volume, toImage),
  };
}
