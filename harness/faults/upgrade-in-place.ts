import type { Fault } from "./fault.js";
import { GRACEFUL_STOP_GRACE_MS } from "./graceful-stop.js";
import { dataMountProof, gracefulExitProof } from "./process-proofs.js";

/** An upgrade as operators do it: stop with grace, remove, start a newer image on the same named volume. */
export function upgradeInPlace(toImage: string): Fault<"upgrade-in-place"> {
  return {
    name: "upgrade-in-place",
    description: `SIGTERM with 30 s grace, remove, start ${toImage} on the same named volume`,
    async inject(node, ctx) {
      const { exitCode } = await node.stop(GRACEFUL_STOP_GRACE_MS);
      ctx.prove?.(gracefulExitProof(exitCode, await node.logs()));
    },
    async heal(node, ctx) {
      const before = await node.dataMount();
      const recovered = await node.recreate(ctx.volume, toImage);
      ctx.prove?.(dataMountProof(before, await recovered.node.dataMount(), true));
      return recovered;
    },
  };
}
