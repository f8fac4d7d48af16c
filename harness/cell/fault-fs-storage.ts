import { chmod, chown, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { FaultFs, sweepStaleFaultFsMounts } from "../faults/fault-fs/fault-fs.js";
import { imageUser } from "../runtime/image-user.js";
import type { CellStorage } from "./storage.js";
import { processAlive } from "../runtime/process-alive.js";

/** Per-case scratch dirs (`<pid>-<random>/backing`) live here, so a later run can remove those of dead processes. */
export const FAULT_FS_DATA_ROOT = "/tmp/redis-persistence-fault-fs-data";

let swept: Promise<void> | undefined;

/** How the fault filesystem under /data behaves from the start of a case. */
export interface FaultFsStorageOptions {
  /** create/rename/unlink durable only once their directory is fsynced (see MountedFaultFs.dirFsync). */
  dirFsync?: boolean;
  /** A disk that ignores flushes: every fsync succeeds and makes nothing durable (a weakened disk). */
  fsyncLies?: boolean;
}

/**
 * /data on fault-fs: a per-case backing dir owned by the image's Redis user, mounted through
 * fault-fs and bind-mounted as /data, so that faults can drop what Redis did not fsync.
 */
export function faultFsStorage(image: string, options: FaultFsStorageOptions = {}): CellStorage {
  return {
    async create(purpose) {
      swept ??= sweepLeftovers();
      await swept;
      await mkdir(FAULT_FS_DATA_ROOT, { recursive: true, mode: 0o755 });
      const caseDir = await mkdtemp(path.join(FAULT_FS_DATA_ROOT, `${process.pid}-${purpose.replace(/[^a-z0-9-]+/gi, "_")}-`));
      try {
        const backingDir = path.join(caseDir, "backing");
        await mkdir(backingDir);
        const user = await imageUser(image);
        // Without a known user, let anyone in: the container's uid must be able to create files.
        if (user) await chown(backingDir, user.uid, user.gid);
        await chmod(backingDir, user ? 0o755 : 0o777);
        const faultFs = await FaultFs.mount({ backingDir, dirFsync: options.dirFsync === true });
        if (options.fsyncLies) await faultFs.fsyncLies().catch(async (error: unknown) => {
          await faultFs.unmount();
          throw error;
        });
        return {
          source: faultFs.mountPoint,
          faultFs,
          async remove() {
            try {
              await faultFs.unmount();
            } finally {
              await rm(caseDir, { recursive: true, force: true });
            }
          },
        };
      } catch (error) {
        await rm(caseDir, { recursive: true, force: true });
        throw error;
      }
    },
  };
}

async function sweepLeftovers(): Promise<void> {
  await sweepStaleFaultFsMounts();
  for (const name of await readdir(FAULT_FS_DATA_ROOT).catch(() => [] as string[])) {
    const owner = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      await rm(path.join(FAULT_FS_DATA_ROOT, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}