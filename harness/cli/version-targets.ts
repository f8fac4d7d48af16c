import type { VersionTarget } from "../report/run-versions.js";
import { resolveRedisImage } from "../runtime/images.js";
import type { ResolvedImage } from "../runtime/images.js";
import type { VersionId } from "../runtime/versions.js";
import { VERSIONS } from "../runtime/versions.js";
import { EnvironmentError } from "./session-scope.js";

/**
 * The image of each version, resolved before anything runs so that a missing one fails at once: the
 * first is the session's own, the others their official image or else their offline build (REDIS_IMAGE
 * does not apply: each version runs its own image).
 */
export async function versionTargets(ids: readonly VersionId[], sessionImage: ResolvedImage): Promise<VersionTarget[]> {
  const targets: VersionTarget[] = [];
  for (const [i, id] of ids.entries()) {
    let image = sessionImage;
    if (i > 0) {
      try {
        image = await resolveRedisImage(VERSIONS[id], "");
      } catch (error) {
        throw new EnvironmentError(`--versions ${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    targets.push({ id, image: { name: image.name, origin: image.origin } });
  }
  return targets;
}
