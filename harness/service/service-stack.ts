import debug from "debug";
import type { Fault } from "../faults/fault.js";
import { createNetwork, removeNetwork } from "../runtime/networks.js";
import { RedisNode } from "../runtime/redis-node.js";
import type { StartedRedisNode } from "../runtime/redis-node.js";
import { ServiceNode, ServiceNotReadyError } from "../runtime/service-node.js";
import type { StartedServiceNode } from "../runtime/service-node.js";
import { createVolume, removeVolume } from "../runtime/volumes.js";
import { checkPredictionApi } from "./api-check.js";
import { ServiceClient } from "./service-client.js";
import type { ServiceClientOptions } from "./service-client.js";
import { describeService, redisEnvFor } from "./service-under-test.js";
import type { ServiceUnderTest } from "./service-under-test.js";

const log = debug("redis-persistence:service-stack");

/** The name the service reaches Redis by, as in the compose files. */
export const REDIS_ALIAS = "redis";
/** The port it reaches Redis on. */
export const REDIS_PORT = 6379;

/** How to start Redis and the prediction service side by side. */
export interface StackPlan {
  /** Names the network and volume, e.g. the mode. */
  purpose: string;
  redisImage: string;
  service: ServiceUnderTest;
  configFile: string;
  redisArgs?: string[];
  /** A named volume for Redis's /data (compose's `redis-data:/data`); false: the container's own. */
  namedVolume: boolean;
  /** Use this named volume (e.g. one a `down()` kept) instead of creating one; the stack then owns it. */
  existingVolume?: string;
  /** Environment for the service besides where Redis is (e.g. the reference's HISTORY_LIMIT); SERVICE_ENV wins over it. */
  serviceEnv?: Record<string, string>;
  /** Where Redis is, as the service is told, in place of its mapping (a compose case passes what its file says). */
  redisEnv?: Record<string, string>;
}

/** Redis and the prediction service on one labelled network: faults on either, clients, cleanup. */
export class ServiceStack {
  private readonly clients: ServiceClient[] = [];

  private constructor(
    readonly network: string,
    readonly volume: string | undefined,
    public redis: StartedRedisNode,
    public service: StartedServiceNode,
    readonly serviceUnderTest: ServiceUnderTest,
  ) {}

  /**
   * Starts Redis and waits until it serves (compose's `depends_on: condition: service_healthy`:
   * some services connect only once, at start), then the service, and waits until its health path
   * answers 2xx; then checks that it answers the prediction API (a ServiceApiError otherwise).
   * Removes what it made if any of that fails.
   */
  static async start(plan: StackPlan): Promise<ServiceStack> {
    const network = await createNetwork(plan.purpose);
    const volume = plan.namedVolume ? (plan.existingVolume ?? (await createVolume(plan.purpose))) : undefined;
    let redis: StartedRedisNode | undefined;
    let service: StartedServiceNode | undefined;
    try {
      redis = await new RedisNode(plan.redisImage, plan.configFile)
        .withArgs(...(plan.redisArgs ?? []))
        .withVolume(volume)
        .withNetwork(network, REDIS_ALIAS)
        .start();
      const { image, port, healthPath } = plan.service;
      service = await new ServiceNode({ image, port, healthPath, network })
        .withEnv(plan.redisEnv ?? redisEnvFor(plan.service.redisEnv, { host: REDIS_ALIAS, port: REDIS_PORT }))
        .withEnv(plan.serviceEnv ?? {})
        .withEnv(plan.service.env)
        .start();
      log("stack %s: redis %s, service %s", plan.purpose, redis.shortId, service.shortId);
      const stack = new ServiceStack(network, volume, redis, service, plan.service);
      const client = await stack.client();
      await checkPredictionApi(client, `${plan.purpose}-${Date.now().toString(36)}`, describeService(plan.service));
      client.close();
      return stack;
    } catch (error) {
      await service?.remove();
      await redis?.remove();
      await removeNetwork(network);
      if (volume) await removeVolume(volume);
      throw error;
    }
  }

  /** A client of the service as published now; closed with the stack. Make a new one after a service restart. */
  async client(options?: ServiceClientOptions): Promise<ServiceClient> {
    const client = new ServiceClient(await this.service.baseUrl(), { healthPath: this.serviceUnderTest.healthPath, ...options });
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
    try {
      return await this.service.waitUntilHealthy(startedAtMs);
    } catch (error) {
      if (!(error instanceof ServiceNotReadyError)) throw error;
      // A service that connects to Redis only once, at start, never comes back by itself.
      throw new ServiceNotReadyError(`after Redis came back (${fault.name}), ${error.line}: does the service reconnect to Redis by itself?`, error.message.slice(error.line.length + 1));
    }
  }

  /** SIGKILLs the service and starts the same container again: what it held only in memory is gone. Returns ms until healthy. */
  async killAndRestartService(): Promise<number> {
    await this.service.kill();
    return this.service.startAgain();
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
