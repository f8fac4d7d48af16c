import { readFile } from "node:fs/promises";
import { dockerEngine } from "../runtime/docker-engine.js";
import { remoteEngineReason } from "../runtime/local-engine.js";
import type { MountedFaultFs } from "./fault-fs/fault-fs.js";

/** A power cut that must not run here: signalling a pid or judging a plain directory would be a lie. */
export class PowerCutRefused extends Error {
  constructor(reason: string) {
    super(`power cut refused: ${reason}`);
    this.name = "PowerCutRefused";
  }
}

/** What was proven about a container before anything is done to it. */
export type ProvenContainer =
  | { running: true; fullId: string; startedAtMs: number; hostPid: number; seen: string }
  | { running: false; fullId: string; startedAtMs: number; seen: string };

interface MountInfo {
  device: string;
  mountPoint: string;
  fsType: string;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses /proc/<pid>/mountinfo: "id parent major:minor root mountpoint opts ... - fstype source superopts". */
export function parseMountInfo(text: string): MountInfo[] {
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [left = "", right = ""] = line.split(" - ");
      const fields = left.split(" ");
      return { device: fields[2] ?? "", mountPoint: unescape(fields[4] ?? ""), fsType: right.split(" ")[0] ?? "" };
    });
}

/** Whether a /proc/<pid>/cgroup text puts the process in the container with this full id. */
export function cgroupNamesContainer(cgroupText: string, fullId: string): boolean {
  return fullId.length >= 12 && cgroupText.split("\n").some((line) => line.includes(fullId));
}

/**
 * Proves that the container's /data is this very fault-fs mount and, while it runs, that its main
 * process is a process of this host: the engine is local, /proc/<State.Pid> exists here, its cgroup
 * names the container, and its /data is the mount's device. Throws PowerCutRefused otherwise.
 */
export async function proveContainerOnFaultFs(containerId: string, faultFs: MountedFaultFs): Promise<ProvenContainer> {
  const remote = await remoteEngineReason();
  if (remote) throw new PowerCutRefused(remote);
  const info = await (await dockerEngine()).getContainer(containerId).inspect();
  const data = info.Mounts.find((m) => m.Destination === "/data");
  if (data?.Source !== faultFs.mountPoint) {
    throw new PowerCutRefused(`container ${containerId}'s /data is ${data ? `${data.Type} ${data.Source}` : "not a mount"}, not the fault-fs mount ${faultFs.mountPoint}`);
  }
  const host = parseMountInfo(await readFile("/proc/self/mountinfo", "utf8")).find((m) => m.mountPoint === faultFs.mountPoint);
  if (host?.fsType !== "fuse.fault-fs") throw new PowerCutRefused(`${faultFs.mountPoint} is not a fault-fs mount on this host (${host ? host.fsType : "not mounted"})`);
  const startedAtMs = Date.parse(info.State.StartedAt);
  if (!info.State.Running) return { running: false, fullId: info.Id, startedAtMs, seen: `container not running; /data bound from ${data.Source}` };

  const pid = info.State.Pid;
  const cgroup = await readFile(`/proc/${pid}/cgroup`, "utf8").catch(() => undefined);
  if (cgroup === undefined) throw new PowerCutRefused(`the engine says container ${containerId} runs as pid ${pid}, but this host has no /proc/${pid}: its pid namespace is not this host's`);
  if (!cgroupNamesContainer(cgroup, info.Id)) throw new PowerCutRefused(`host pid ${pid} is not in container ${containerId}'s cgroup (/proc/${pid}/cgroup: ${cgroup.split("\n")[0]})`);
  const inside = parseMountInfo(await readFile(`/proc/${pid}/mountinfo`, "utf8")).find((m) => m.mountPoint === "/data");
  if (inside?.device !== host.device || inside.fsType !== host.fsType) {
    throw new PowerCutRefused(`container ${containerId} sees ${inside ? `${inside.fsType} ${inside.device}` : "no mount"} at /data, not the fault-fs mount (${host.fsType} ${host.device})`);
  }
  return { running: true, fullId: info.Id, startedAtMs, hostPid: pid, seen: `host pid ${pid} in the container's cgroup, /data is ${host.fsType} ${host.device}` };
}
