import { RedisContainer } from "@testcontainers/redis";

/** Testcontainers' RedisContainer with its port published on 127.0.0.1 only, never on every host interface. */
export class LoopbackRedisContainer extends RedisContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.PortBindings = { "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "0" }] };
  }

  /** An anonymous volume at `target` carrying `labels`: removed with the container (remove with v), never given to another. */
  withAnonymousVolume(target: string, labels: Record<string, string>): this {
    // An empty Source is how the Engine API asks for an anonymous volume; NoCopy false copies the image's /data (its owner) in, as Docker does for VOLUME.
    this.hostConfig.Mounts = [...(this.hostConfig.Mounts ?? []), { Type: "volume", Source: "", Target: target, VolumeOptions: { NoCopy: false, Labels: labels, DriverConfig: { Name: "local", Options: {} } } }];
    return this;
  }

  /** Limits memory to `bytes` with no swap beyond it (MemorySwap = Memory), so that passing it means the OOM killer, not swapping. */
  withMemoryLimit(bytes: number): this {
    this.hostConfig.Memory = bytes;
    this.hostConfig.MemorySwap = bytes;
    return this;
  }
}
