import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";
import { dataMountProof, gracefulExitProof } from "./process-proofs.js";

/** `docker compose down` + `up` with a named volume: stop with grace, remove, new container on the same volume. */
export const recreateSameVolume: Fault = {
  name: "recreate-same-volume",
  description: "SIGTERM with 30 s grace, remove the container, start a new one on the same named volume",
  async inject(node, ctx) {
    const { exitCode } = await node.stop(GRACEFUL_STOP_GRACE_MS);
    ctx.prove?.(gracefulExitProof(exitCode, await node.logs()));
  },
  async heal(node, ctx) {
    const before = await node.dataMount();
    const recovered = await node.recreate(ctx.volume);
    ctx.prove?.(dataMountProof(before, await recovered.node.dataMount(), true));
    return recovered;
  },
};
