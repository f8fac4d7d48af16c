import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";
import { dataMountProof, gracefulExitProof } from "./process-proofs.js";

/** `docker compose down` + `up` with no named volume: the new container starts on an empty data dir. */
export const recreateWithoutVolume: Fault = {
  name: "recreate-without-volume",
  description: "SIGTERM with 30 s grace, remove the container, start a new one without the named volume",
  async inject(node, ctx) {
    const { exitCode } = await node.stop(GRACEFUL_STOP_GRACE_MS);
    ctx.prove?.(gracefulExitProof(exitCode, await node.logs()));
  },
  async heal(node, ctx) {
    const before = await node.dataMount();
    const recovered = await node.recreate(undefined);
    ctx.prove?.(dataMountProof(before, await recovered.node.dataMount(), false));
    return recovered;
  },
};
