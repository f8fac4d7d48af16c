import { dockerEngine } from "./docker-engine.js";
import { runOneOff } from "./one-off.js";

/** The numeric ids the Redis server runs as inside an image. */
export interface ImageUser {
  uid: number;
  gid: number;
}

const known = new Map<string, Promise<ImageUser | undefined>>();

/**
 * The uid/gid of the image's user, or of `redis` (the official image starts as root and drops to
 * `redis`); undefined when neither exists. Asked once per image, in a throwaway container.
 */
export function imageUser(image: string): Promise<ImageUser | undefined> {
  let found = known.get(image);
  if (!found) {
    found = lookUp(image);
    known.set(image, found);
  }
  return found;
}

async function lookUp(image: string): Promise<ImageUser | undefined> {
  const docker = await dockerEngine();
  const configured = ((await docker.getImage(image).inspect()).Config.User ?? "").split(":")[0] ?? "";
  for (const name of [...new Set([configured, "redis"])].filter((n) => n && n !== "root" && n !== "0")) {
    const { exitCode, output } = await runOneOff({ image, script: `id -u ${name} && id -g ${name}`, user: "root" });
    const [uid, gid] = output.trim().split(/\s+/).map(Number);
    if (exitCode === 0 && Number.isInteger(uid) && Number.isInteger(gid)) return { uid: uid as number, gid: gid as number };
  }
  return undefined;
}
