import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";

/** `docker compose down` + `up` with a named volume: stop with grace, remove, new container on the same volume. */
export const recreateSameVolume: Fault = {
  name: "recreate-same-volume",
  description: "SIGTERM with 30 s grace, remove the container, start a new one on the same named volume",
  inject: (node) => node.stop(GRACEFUL_STOP_GRACE_MS),
  heal: (node, ctx) => node.recreate(ctx.volume),
};
