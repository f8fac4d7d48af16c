import type { MountedFaultFs } from "../faults/fault-fs/fault-fs.js";
import type { ContainerDataMount } from "../runtime/redis-node.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";

/** Where one cell's /data lives: what the container binds, the fault filesystem if any, and its cleanup. */
export interface DataDir {
  /** The bind source for /data: a named volume or a host path; "" when `container` says /data is the container's own. */
  source: string;
  /** Set when /data is no bind but the container's own (a tmpfs, an anonymous volume, nothing): a new container gets a new one. */
  container?: ContainerDataMount;
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

/** Of the container itself: removing the container (with its anonymous volumes) removes it. */
function containerOwn(container: ContainerDataMount): CellStorage {
  return { create: () => Promise.resolve({ source: "", container, remove: () => Promise.resolve() }) };
}

/** A Docker tmpfs at /data: RAM of this container, empty again whenever it starts (measured, Docker 20.10). */
export const tmpfsStorage: CellStorage = containerOwn("tmpfs");

/** A labelled anonymous volume at /data: kept while its container is, never given to a new one. */
export const anonymousVolumeStorage: CellStorage = containerOwn("anonymous-volume");

/** Nothing mounted at /data: the container's own layer (or the image's VOLUME, equally the container's own). */
export const containerLayerStorage: CellStorage = containerOwn("none");
