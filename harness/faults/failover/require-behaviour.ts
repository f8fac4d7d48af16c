import type { VersionDifference } from "../../../configs/version-differences.js";
import { hasBehaviour } from "../../../configs/version-differences.js";
import { serverVersionOf } from "../../runtime/redis-client.js";
import { VERSIONS } from "../../runtime/versions.js";
import type { GroupNode } from "../../topology/sentinel-group.js";

/** Where a Sentinel group gets a newer server: `matrix --topology sentinel` takes --image (it refuses --versions). */
export const NEWER_IMAGE_HINT = `run it on a newer image (--image ${VERSIONS["8.0"].official}, or offline ${VERSIONS["8.0"].offline?.image ?? "the 8.0 build"})`;

/** Throws, naming the release it needs, when the node's server lacks the behaviour a fault relies on (the cell is then unknown, never judged). */
export async function requireBehaviour(node: GroupNode, difference: VersionDifference, faultName: string): Promise<void> {
  const version = serverVersionOf(await node.node.info("server"));
  if (!hasBehaviour(version, difference)) {
    throw new Error(`${faultName} needs ${difference.after} (since ${difference.since}; ${difference.source}); this server is ${version}: ${NEWER_IMAGE_HINT}`);
  }
}
