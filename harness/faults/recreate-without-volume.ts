import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";

/** `docker compose down` + `up` with no named volume: the new container starts on an empty data dir. */
export const recreateWithoutVolume: Fault = {
  name: "recreate-without-volume",
  description: "SIGTERM with 30 s grace, remove the container, start a new one without the named volume",
  inject: (node) => node.stop(GRACEFUL_STOP_GRACE_MS),
  heal: (node) => node.recreate(undefined),
};
