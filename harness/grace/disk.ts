import { readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { dockerEngine } from "../runtime/docker-engine.js";
import { remoteEngineReason } from "../runtime/local-engine.js";

/** The disk Docker's named volumes live on: the caveat of every measured shutdown. */
export interface DiskInfo {
  /** One line, e.g. "/dev/vda (ext4, virtio_blk, reported rotational) under /var/lib/docker/volumes". */
  description: string;
  device: string | null;
  fsType: string | null;
  mountPoint: string | null;
  /** Where the volumes are: Docker's root dir + /volumes. */
  volumesPath: string | null;
}

/** A mount of /proc/mounts. */
export interface Mount {
  device: string;
  mountPoint: string;
  fsType: string;
}

/** The mount that holds `target` (the longest mount point that is a prefix of it), from /proc/mounts' text. Pure. */
export function mountOf(mountsText: string, target: string): Mount | undefined {
  const mounts = mountsText
    .split("\n")
    .map((line) => line.split(" "))
    .filter((f) => f.length >= 3)
    .map(([device, mountPoint, fsType]) => ({ device: device as string, mountPoint: unescapeMount(mountPoint as string), fsType: fsType as string }));
  const holds = (m: Mount): boolean => m.mountPoint === "/" || target === m.mountPoint || target.startsWith(`${m.mountPoint}/`);
  // The last of equal mount points is the one on top.
  return mounts.filter(holds).reduce<Mount | undefined>((best, m) => (!best || m.mountPoint.length >= best.mountPoint.length ? m : best), undefined);
}

/** The block device a partition belongs to: vda1 -> vda, nvme0n1p2 -> nvme0n1, sda -> sda. Pure. */
export function blockDeviceOf(device: string): string {
  const name = path.basename(device);
  if (/^nvme\d+n\d+p\d+$/.test(name) || /^mmcblk\d+p\d+$/.test(name)) return name.replace(/p\d+$/, "");
  return name.replace(/(?<=^[a-z]+)\d+$/, "");
}

/** The description line of a disk. Pure. */
export function describeDisk(facts: { mount: Mount | undefined; volumesPath: string; driver?: string; model?: string; rotational?: boolean }): string {
  if (!facts.mount) return `the disk under ${facts.volumesPath} (its mount was not found)`;
  const traits = [facts.mount.fsType, facts.model, facts.driver, facts.rotational === undefined ? undefined : facts.rotational ? "reported rotational" : "reported non-rotational"].filter(Boolean);
  return `${facts.mount.device} (${traits.join(", ")}) under ${facts.volumesPath}`;
}

/** Finds the disk Docker keeps named volumes on; where the engine is not on this host, says so instead of guessing. */
export async function describeVolumeDisk(): Promise<DiskInfo> {
  const remote = await remoteEngineReason();
  const docker = await dockerEngine();
  const root = ((await docker.info()) as { DockerRootDir?: string }).DockerRootDir ?? "/var/lib/docker";
  const volumesPath = path.posix.join(root, "volumes");
  if (remote) return { description: `the Docker engine's disk under ${volumesPath} (not identified: ${remote})`, device: null, fsType: null, mountPoint: null, volumesPath };
  const mount = mountOf(await readFile("/proc/mounts", "utf8").catch(() => ""), volumesPath);
  const block = mount?.device.startsWith("/dev/") ? `/sys/block/${blockDeviceOf(mount.device)}` : undefined;
  const read = (file: string): Promise<string | undefined> => (block ? readFile(path.join(block, file), "utf8").then((t) => t.trim() || undefined, () => undefined) : Promise.resolve(undefined));
  const rotational = await read("queue/rotational");
  const model = await read("device/model");
  const driver = block ? await readlink(path.join(block, "device", "driver")).then((l) => path.basename(l), () => undefined) : undefined;
  return {
    description: describeDisk({ mount, volumesPath, ...(driver ? { driver } : {}), ...(model ? { model } : {}), ...(rotational !== undefined ? { rotational: rotational === "1" } : {}) }),
    device: mount?.device ?? null,
    fsType: mount?.fsType ?? null,
    mountPoint: mount?.mountPoint ?? null,
    volumesPath,
  };
}

function unescapeMount(text: string): string {
  return text.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
