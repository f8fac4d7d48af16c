import debug from "debug";
import type { Fault } from "../faults/fault.js";
import { createNetwork, removeNetwork } from "../runtime/networks.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { ServiceNode } from "../runtime/service-node.js";
import type { StartedServiceNode } from "../runtime/service-node.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";
import { ServiceClient } from "./service-client.js";
import type { ServiceClientOptions } from "./service-client.js";

const log = debug("redis-persistence:service-stack");

/** The name the service reaches Redis by, as in the compose files. */
export const REDIS_ALIAS = "redis";

/** How to start Redis and the prediction service side by side. */
export interface StackPlan {
  /** Names the network and volume, e.g. the mode. */
  purpose: string;
  redisImage: string;
  serviceImage: string;
  configFile: string;
  redisArgs?: string[];
  /** A named volume for Redis's /data (compose's `redis-data:/data`); false: the container's own. */
  namedVolume: boolean;
  /** Use this named volume (e.g. one a `down()` kept) instead of creating one; the stack then owns it. */
  existingVolume?: string;
  serviceEnv?: Record<string, string>;
}

/** Redis and the prediction service on one labelled network: faults on either, clients, cleanup. */
export class ServiceStack {
  private readonly clients: ServiceClient[] = [];

  private constructor(
    readonly network: string,
    readonly volume: string | undefined,
    public redis: StartedRedisNode,
    public service: StartedServiceNode,
  ) {}

  /** Starts Redis, then the service (healthy, i.e. connected); removes what it made if that fails. */
  static async start(plan: StackPlan): Promise<ServiceStack> {
    const network = await createNetwork(plan.purpose);
    const volume = plan.namedVolume ? (plan.existingVolume ?? (await createVolume(plan.purpose))) : undefined;
    let redis: StartedRedisNode | undefined;
    try {
      redis = await new RedisNode(plan.redisImage, plan.configFile)
        .withArgs(...(plan.redisArgs ?? []))
        .withVolume(volume)
        .withNetwork(network, REDIS_ALIAS)
        .start();
      const service = await new ServiceNode(plan.serviceImage, network).withEnv(plan.serviceEnv ?? {}).start();
      log("stack %s: redis %s, service %s", plan.purpose, redis.shortId, service.shortId);
      return new ServiceStack(network, volume, redis, service);
    } catch (error) {
      await redis?.remove();
      await removeNetwork(network);
      if (volume) await removeVolume(volume);
      throw error;
    }
  }

  /** A client of the service as published now; closed with the stack. Make a new one after a service restart. */
  async client(options?: ServiceClientOptions): Promise<ServiceClient> {
    const client = new ServiceClient(await this.service.baseUrl(), options);
    this.clients.push(client);
    return client;
  }

  /**
   * Ends Redis the fault's way, keeps it down `outageMs` longer, brings it back, and waits until
   * the service has reconnected by itself. Returns ms from the fault to a healthy service.
   */
  async faultRedis(fault: Fault, outageMs = 0): Promise<number> {
    const startedAtMs = Date.now();
    const ctx = { volume: this.volume };
    await fault.inject(this.redis, ctx);
    if (outageMs > 0) await new Promise((resolve) => setTimeout(resolve, outageMs));
    this.redis = (await fault.heal(this.redis, ctx)).node;
    return this.service.waitUntilHealthy(startedAtMs);
  }

  /** Stops the service with `graceMs` (SIGTERM: it drains) and starts the same container again. */
  async restartService(graceMs: number): Promise<{ exitCode: number; recoveryMs: number }> {
    const { exitCode } = await this.service.stop(graceMs);
    return { exitCode, recoveryMs: await this.service.startAgain() };
  }

  /**
   * `docker compose down`: SIGTERM both with `graceMs`, remove the containers and the network,
   * keep the named volume. Returns the volume, for the next `start()`.
   */
  async down(graceMs: number): Promise<string | undefined> {
    for (const client of this.clients) client.close();
    await this.service.stop(graceMs);
    await this.redis.stop(graceMs);
    await Promise.all([this.service.remove(), this.redis.remove()]);
    await removeNetwork(this.network);
    return this.volume;
  }

  /** Removes both containers, the network and the volume. */
  async close(): Promise<void> {
    for (const client of this.clients) client.close();
    try {
      await Promise.all([this.service.remove(), this.redis.remove()]);
    } finally {
      await removeNetwork(this.network);
      if (this.volume) await removeVolume(this.volume);
    }
  }
}
