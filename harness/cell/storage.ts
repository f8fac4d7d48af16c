import type { MountedFaultFs } from "../faults/fault-fs/fault-fs.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";

/** Where one cell's /data lives: what the container binds, the fault filesystem if any, and its cleanup. */
export interface DataDir {
  /** The bind source for /data: a named volume or a host path. */
  source: string;
  /** Set when /data sits on fault-fs, so that disk faults can reach it. */
  faultFs?: MountedFaultFs;
  /** Removes what `create` made; call it only after the container is gone. */
  remove(): Promise<void>;
}

/** Makes a fresh data dir for one cell. */
export interface CellStorage {
  create(purpose: string): Promise<DataDir>;
}

/** The default: a fresh labelled named volume per cell. */
export const namedVolumeStorage: CellStorage = {
  async create(purpose) {
    const volume = await createVolume(purpose);
    return { source: volume, remove: () => removeVolume(volume) };
  },
};
