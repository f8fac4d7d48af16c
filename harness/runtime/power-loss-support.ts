import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { proveContainerOnFaultFs } from "../faults/container-on-fault-fs.js";
import { FaultFs } from "../faults/fault-fs/fault-fs.js";
import { faultFsSupport } from "../faults/fault-fs/support.js";
import { dockerEngine } from "./docker-engine.js";
import { runLabels } from "./labels.js";

const PROBE_WRITE_TIMEOUT_MS = 10_000;
const probes = new Map<string, Promise<string | undefined>>();

/**
 * Why power-loss cells cannot run here, or undefined when they can: fault-fs builds and mounts, the
 * engine is on a local socket and, given an image, a probe container of it writes to fault-fs as its
 * /data from a process of this host (its cgroup names the container, its /data is the mount's
 * device). Matrix and gate call it up front: refuse when power loss was named, drop it loudly when
 * it was only a default. Probed once per image per process.
 */
export async function powerLossUnsupportedReason(image?: string): Promise<string | undefined> {
  const support = await faultFsSupport();
  if (!support.supported) return support.reason;
  if (image === undefined) return undefined;
  let probe = probes.get(image);
  if (!probe) {
    probe = probeContainer(image).catch((error: unknown) => `fault-fs unsupported here: ${(error as Error).message}`);
    probes.set(image, probe);
  }
  return probe;
}

async function probeContainer(image: string): Promise<string | undefined> {
  const backingDir = await mkdtemp(path.join(tmpdir(), "power-loss-probe-"));
  await chmod(backingDir, 0o777); // whatever uid the image runs as must be able to write
  const faultFs = await FaultFs.mount({ backingDir });
  const docker = await dockerEngine();
  let container: Awaited<ReturnType<typeof docker.createContainer>> | undefined;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: ["sh", "-c"],
      Cmd: ["echo probe > /data/power-loss-probe && exec sleep 60"],
      Labels: runLabels("power-loss-probe"),
      HostConfig: { Binds: [`${faultFs.mountPoint}:/data`] },
    });
    await container.start();
    const deadline = Date.now() + PROBE_WRITE_TIMEOUT_MS;
    while ((await faultFs.status()).writes === 0) {
      if (Date.now() > deadline) return `fault-fs unsupported here: a container of ${image} wrote to its /data, but fault-fs on this host saw no write within ${PROBE_WRITE_TIMEOUT_MS} ms (the engine does not see this host's FUSE mount)`;
      if (!(await container.inspect()).State.Running) return `fault-fs unsupported here: the probe container of ${image} exited before fault-fs saw its write (${(await container.logs({ stdout: true, stderr: true })).toString().trim()})`;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await proveContainerOnFaultFs(container.id, faultFs);
    return undefined;
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
    await faultFs.unmount().catch(() => undefined);
    await rm(backingDir, { recursive: true, force: true });
  }
}
