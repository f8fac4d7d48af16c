import { chown, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FaultProof } from "../faults/fault.js";
import { cutPower } from "../faults/power-cut.js";
import { imageUser } from "../runtime/image-user.js";
import { serverVersionOf } from "../runtime/redis-client.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { faultFsStorage } from "./fault-fs-storage.js";

/** What became of a user created with ACL SAVE when the power went right after. */
export interface AclSaveOutcome {
  serverVersion: string;
  userSurvived: boolean;
  /** The ACL file as the restarted server read it. */
  aclFileAfter: string;
  /** What the power cut proved of itself; the outcome means something only if every claim held. */
  proofs: FaultProof[];
}

const USER = "durability-probe";

/** Creates a user, ACL SAVEs it, cuts the power (fault-fs), restarts, and asks whether the user is still there. */
export async function runAclSavePowerLoss(image: string, configFile: string): Promise<AclSaveOutcome> {
  const dataDir = await faultFsStorage(image).create("acl-save");
  const faultFs = dataDir.faultFs;
  let node: StartedRedisNode | undefined;
  try {
    if (!faultFs) throw new Error("fault-fs storage came without its filesystem");
    // Redis refuses to start when the aclfile is missing: an empty, durable one to begin with.
    const aclFile = path.join(faultFs.mountPoint, "users.acl");
    await writeFile(aclFile, "");
    const user = await imageUser(image);
    if (user) await chown(aclFile, user.uid, user.gid);
    await faultFs.syncAll();

    node = await new RedisNode(image, configFile).withVolume(dataDir.source).withArgs("--aclfile", "/data/users.acl").start();
    const started = node;
    const serverVersion = serverVersionOf(await started.info("server"));
    await started.withClient(async (redis) => {
      await redis.call("ACL", "SETUSER", USER, "on", ">probe-password", "~*", "+@all");
      await redis.call("ACL", "SAVE");
    });
    const proofs: FaultProof[] = [];
    await cutPower(started, faultFs, { volume: dataDir.source, prove: (proof) => proofs.push(proof) });
    await started.startAgain();
    const userSurvived = await started.withClient(async (redis) => (await redis.call("ACL", "GETUSER", USER)) !== null);
    return { serverVersion, userSurvived, aclFileAfter: await readBacking(faultFs.backingDir), proofs };
  } finally {
    await node?.remove();
    await dataDir.remove();
  }
}

async function readBacking(backingDir: string): Promise<string> {
  return readFile(path.join(backingDir, "users.acl"), "utf8").catch(() => "(missing)");
}
