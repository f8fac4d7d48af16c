import { RedisContainer } from "@testcontainers/redis";

/** Testcontainers' RedisContainer with its port published on 127.0.0.1 only, never on every host interface. */
export class LoopbackRedisContainer extends RedisContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.PortBindings = { "6379/tcp": [{ HostIp: "127.0.0.1", HostPort: "0" }] };
  }

  /** Limits memory to `bytes` with no swap beyond it (MemorySwap = Memory), so that passing it means the OOM killer, not swapping. */
  withMemoryLimit(bytes: number): this {
    this.hostConfig.Memory = bytes;
    this.hostConfig.MemorySwap = bytes;
    return this;
  }
}
