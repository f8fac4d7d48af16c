import { describe, expect, it } from "vitest";
import { remoteEngineReason } from "../runtime/local-engine.js";
import { cgroupNamesContainer, parseMountInfo } from "./container-on-fault-fs.js";

const ID = "32ab1446db8a76e4527e86bcf99a6024f9714845d1369ba9f8f8533a87983924";

describe("proving a container before a power cut", () => {
  it("reads mount points, devices and types from mountinfo, octal escapes included", () => {
    const text = [
      "132 115 254:0 /var/lib/docker/volumes/v/_data /data rw,relatime master:1 - ext4 /dev/vda rw,discard",
      "140 115 0:40 / /tmp/redis-persistence-fault-fs/1-a\\040b rw,nosuid shared:7 - fuse.fault-fs fault-fs-1 rw,user_id=0",
    ].join("\n");
    expect(parseMountInfo(text)).toEqual([
      { device: "254:0", mountPoint: "/data", fsType: "ext4" },
      { device: "0:40", mountPoint: "/tmp/redis-persistence-fault-fs/1-a b", fsType: "fuse.fault-fs" },
    ]);
  });

  it("accepts a host pid only when its cgroup names the container (cgroup v1 and v2 layouts)", () => {
    expect(cgroupNamesContainer(`9:name=systemd:/docker/${ID}\n8:pids:/docker/${ID}`, ID)).toBe(true);
    expect(cgroupNamesContainer(`0::/system.slice/docker-${ID}.scope`, ID)).toBe(true);
    expect(cgroupNamesContainer("9:name=systemd:/\n8:pids:/user.slice", ID)).toBe(false);
    expect(cgroupNamesContainer("0::/", "")).toBe(false);
  });

  it("calls an engine behind a TCP DOCKER_HOST remote before asking it anything", async () => {
    expect(await remoteEngineReason({ DOCKER_HOST: "tcp://10.0.0.5:2375" })).toMatch(/not on this host \(DOCKER_HOST=tcp:\/\/10\.0\.0\.5:2375\)/);
    expect(await remoteEngineReason({ DOCKER_HOST: "ssh://builder@ci" })).toMatch(/not on this host/);
  });
});
