import type Dockerode from "dockerode";
import type { Redis } from "ioredis";
import { demuxDockerLog } from "../runtime/docker-log.js";
import { connectOnce } from "../runtime/redis-client.js";
import { publishedPort } from "./group-container.js";
import { MASTER_NAME, SENTINEL_PORT } from "./sentinel-settings.js";
import { removeContainer } from "../runtime/remove-container.js";

/** A running Sentinel of the group: its group address, and what it says about the primary. */
export class StartedSentinel {
  constructor(
    private readonly container: Dockerode.Container,
    readonly ip: string,
    readonly hostPort: number,
  ) {}

  /** Starts talking to the Sentinel at its container; waits until it answers PING. */
  static async of(container: Dockerode.Container, ip: string): Promise<StartedSentinel> {
    const sentinel = new StartedSentinel(container, ip, await publishedPort(container, SENTINEL_PORT));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answered = await sentinel.ask(["PING"]).then(
        () => true,
        () => false,
      );
      if (answered) return sentinel;
      if (Date.now() > deadline) throw new Error(`Sentinel ${ip} did not answer within 30 s; log:\n${await sentinel.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends one command to this Sentinel on a short-lived connection. */
  async ask(command: string[]): Promise<unknown> {
    const client: Redis = connectOnce(this.hostPort, { connectTimeoutMs: 1_000, commandTimeoutMs: 2_000 });
    try {
      await client.connect();
      const [name, ...args] = command;
      return await client.call(name ?? "PING", ...args);
    } finally {
      client.disconnect();
    }
  }

  /** The primary's group address as this Sentinel names it (SENTINEL get-master-addr-by-name). */
  async primaryIp(): Promise<string> {
    const reply = (await this.ask(["SENTINEL", "get-master-addr-by-name", MASTER_NAME])) as [string, string] | null;
    if (!reply) throw new Error(`Sentinel ${this.ip} does not monitor ${MASTER_NAME}`);
    return reply[0];
  }

  /** SENTINEL FAILOVER: this Sentinel promotes a replica as if the primary had failed, without asking the other Sentinels or the primary. */
  async requestFailover(): Promise<void> {
    const reply = await this.ask(["SENTINEL", "FAILOVER", MASTER_NAME]);
    if (reply !== "OK") throw new Error(`Sentinel ${this.ip} refused SENTINEL FAILOVER: ${String(reply)}`);
  }

  /** SENTINEL MASTER's fields for the group (num-slaves, num-other-sentinels, flags, ...). */
  async masterState(): Promise<Map<string, string>> {
    return pairs((await this.ask(["SENTINEL", "master", MASTER_NAME])) as string[]);
  }

  /** SENTINEL REPLICAS: each replica's fields (ip, flags, master-link-status, ...). */
  async replicas(): Promise<Map<string, string>[]> {
    return ((await this.ask(["SENTINEL", "replicas", MASTER_NAME])) as string[][]).map(pairs);
  }

  /** The Sentinel's log. */
  async logs(): Promise<string> {
    return demuxDockerLog(await this.container.logs({ stdout: true, stderr: true, follow: false }));
  }

  /** Kills and removes the container. */
  async remove(): Promise<void> {
    await removeContainer(this.container);
  }
}

function pairs(flat: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), String(flat[i + 1]));
  return fields;
}
