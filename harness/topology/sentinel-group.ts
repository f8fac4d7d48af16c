import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type Dockerode from "dockerode";
import type { Redis } from "ioredis";
import { dockerEngine } from "../runtime/docker-engine.js";
import { serverBinaryOf } from "../runtime/images.js";
import { createNetwork, removeNetwork } from "../runtime/networks.js";
import { parseInfo } from "../runtime/redis-client.js";
import { StartedRedisNode } from "../runtime/redis-node.js";
import { startGroupContainer } from "./group-container.js";
import type { GroupNetwork } from "./group-network.js";
import { createGroupNetwork } from "./group-network.js";
import { sentinelClient } from "./sentinel-client.js";
import { DATA_PORT, MASTER_NAME, SENTINEL_PORT, dataNodeArgs, sentinelConf } from "./sentinel-settings.js";
import { StartedSentinel } from "./started-sentinel.js";

/** A data node of the group: its fixed group address and the server in it. */
export interface GroupNode {
  ip: string;
  node: StartedRedisNode;
  /** Its container, for what a StartedRedisNode does not do (network cuts). */
  container: Dockerode.Container;
}

const REPLICAS = 2;
const SENTINELS = 3;
// Written by the container's shell as the server's user: /tmp is writable by it in every image.
const DATA_NODE_CONFIG_PATH = "/tmp/redis.conf";

/**
 * One primary, two replicas and three Sentinels (quorum 2), every node from the same image and
 * persistence config, on a network of their own. Sentinel runs as `redis-server --sentinel`:
 * Sentinel is a mode of the server binary (Debian's redis-sentinel package adds only a symlink, a
 * config and a service unit), so every image the suite already builds can run it unchanged.
 */
export class SentinelGroup {
  constructor(
    private readonly image: string,
    private readonly configFile: string,
  ) {}

  /** Creates the networks and containers; removes what it made if any step fails. */
  async start(): Promise<StartedSentinelGroup> {
    const access = await createNetwork("group-access");
    let group: GroupNetwork | undefined;
    const nodes: GroupNode[] = [];
    const sentinels: StartedSentinel[] = [];
    try {
      group = await createGroupNetwork("group");
      const configText = await readFile(this.configFile, "utf8");
      const primaryIp = group.address(0);
      const groupName = group.name;
      const serverBinary = serverBinaryOf(this.image);
      // Started side by side: a replica retries its primary until it answers, a Sentinel its master.
      await Promise.all(
        Array.from({ length: REPLICAS + 1 }, async (_, n) => {
          const ip = group?.address(n) ?? "";
          const container = await startGroupContainer({
            image: this.image,
            role: "redis",
            accessNetwork: access,
            groupNetwork: groupName,
            ip,
            port: DATA_PORT,
            configText,
            configPath: DATA_NODE_CONFIG_PATH,
            argv: dataNodeArgs(ip, n === 0 ? undefined : primaryIp),
            serverBinary,
          });
          const node = new StartedRedisNode(container, { image: this.image, configFile: this.configFile, args: [] }, []);
          nodes[n] = { ip, node, container };
          await node.waitUntilServing();
        }),
      );
      // A Sentinel learns the replicas from the primary's INFO, which it reads on connecting and then only
      // every 10 s: started before both replicas attached, it knew them 10 s later (the group took 12 s to settle).
      await replicasAttached(nodes[0]?.node, REPLICAS);
      await Promise.all(
        Array.from({ length: SENTINELS }, async (_, n) => {
          const ip = group?.address(10 + n) ?? "";
          const container = await startGroupContainer({
            image: this.image,
            role: "sentinel",
            accessNetwork: access,
            groupNetwork: groupName,
            ip,
            port: SENTINEL_PORT,
            configText: sentinelConf(primaryIp, ip),
            configPath: "/data/sentinel.conf",
            argv: ["--sentinel"],
            serverBinary,
          });
          sentinels[n] = await StartedSentinel.of(container, ip).catch(async (error: unknown) => {
            await container.remove({ force: true, v: true }).catch(() => undefined);
            throw error;
          });
        }),
      );
      const started = new StartedSentinelGroup(nodes, sentinels, access, group);
      await started.refreshPorts();
      return started;
    } catch (error) {
      await removeAll(nodes.filter(Boolean), sentinels.filter(Boolean), access, group);
      throw error;
    }
  }
}

const ATTACH_TIMEOUT_MS = 20_000;

/** Waits until the primary lists `replicas` connected replicas; throws with what it listed after ATTACH_TIMEOUT_MS. */
async function replicasAttached(primary: StartedRedisNode | undefined, replicas: number): Promise<void> {
  if (!primary) throw new Error("the group has no primary node");
  const deadline = Date.now() + ATTACH_TIMEOUT_MS;
  for (;;) {
    const connected = (await primary.info("replication")).get("connected_slaves");
    if (Number(connected) >= replicas) return;
    if (Date.now() > deadline) throw new Error(`the group's replicas did not attach to its primary within ${ATTACH_TIMEOUT_MS} ms (connected_slaves ${connected ?? "unknown"})`);
    await sleep(50);
  }
}

/** The running group: who is primary, clients that follow it, and the nodes for faults to act on. */
export class StartedSentinelGroup {
  private readonly ports = new Map<string, number>();
  private readonly frozen = new Set<string>();

  constructor(
    readonly nodes: GroupNode[],
    readonly sentinels: StartedSentinel[],
    private readonly accessNetwork: string,
    readonly network: GroupNetwork,
  ) {}

  /** Re-reads the published port of every running data node: a restarted container gets a new one. */
  async refreshPorts(): Promise<void> {
    for (const { ip, node } of this.nodes) {
      const port = await node.hostPort().catch(() => undefined);
      if (port === undefined) this.ports.delete(ip);
      else this.ports.set(ip, port);
    }
  }

  /** ioredis natMap: a group address (as Sentinel names it) to its published 127.0.0.1 port. */
  readonly natMap = (key: string): { host: string; port: number } | null => {
    const port = this.ports.get(key.slice(0, key.lastIndexOf(":")));
    return port === undefined ? null : { host: "127.0.0.1", port };
  };

  /** The data node at a group address, or an error naming it. */
  nodeAt(ip: string): GroupNode {
    const found = this.nodes.find((n) => n.ip === ip);
    if (!found) throw new Error(`no data node of the group has address ${ip}`);
    return found;
  }

  /** Disconnects a data node from the group network: its replicas and the Sentinels lose it; its published port stays. */
  async cutOff(ip: string): Promise<void> {
    const docker = await dockerEngine();
    await docker.getNetwork(this.network.name).disconnect({ Container: this.nodeAt(ip).container.id, Force: true });
  }

  /** Connects a cut-off data node to the group network again, under its fixed address. */
  async reconnect(ip: string): Promise<void> {
    const docker = await dockerEngine();
    await docker.getNetwork(this.network.name).connect({ Container: this.nodeAt(ip).container.id, EndpointConfig: { IPAMConfig: { IPv4Address: ip } } });
  }

  /** Freezes a data node (docker pause): it reads nothing, so a primary's stream to it piles up unacknowledged. */
  async freeze(ip: string): Promise<void> {
    // Marked first: a pause whose reply is lost must still be undone by thaw.
    this.frozen.add(ip);
    await this.nodeAt(ip).container.pause();
  }

  /** Thaws a node this group froze, if the engine says it is paused (it refuses to unpause what is not). */
  async thaw(ip: string): Promise<void> {
    if (!this.frozen.has(ip)) return;
    const { container } = this.nodeAt(ip);
    const { State } = await container.inspect();
    if (State.Paused) await container.unpause();
    this.frozen.delete(ip);
  }

  /** Whether the engine reports the data node paused. */
  async isFrozen(ip: string): Promise<boolean> {
    const { State } = await this.nodeAt(ip).container.inspect();
    return State.Paused;
  }

  /** Gives every Sentinel this down-after-milliseconds (SENTINEL SET); the group starts with DOWN_AFTER_MS. */
  async setDownAfter(ms: number): Promise<void> {
    await Promise.all(this.sentinels.map((s) => s.ask(["SENTINEL", "SET", MASTER_NAME, "down-after-milliseconds", String(ms)])));
  }

  /** A data node's master_repl_offset, as its own INFO replication says. */
  async replicationOffset(ip: string): Promise<number> {
    const info = parseInfo(await this.nodeAt(ip).node.withClient((redis) => redis.info("replication"), 2_000));
    return Number(info.get("master_repl_offset") ?? 0);
  }

  /** The primary's address as the first Sentinel that answers names it. */
  async primaryIp(): Promise<string> {
    let lastError: unknown;
    for (const sentinel of this.sentinels) {
      try {
        return await sentinel.primaryIp();
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no Sentinel named the primary: ${String(lastError)}`);
  }

  /** A writer's client: finds the primary through the Sentinels and follows it (see sentinelClient); connected. */
  async connectWriter(commandTimeoutMs: number): Promise<Redis> {
    const client = sentinelClient(this.sentinels.map((s) => ({ host: "127.0.0.1", port: s.hostPort })), this.natMap, commandTimeoutMs);
    await client.connect();
    return client;
  }

  /** Every node's log, each under its role and address. */
  async logs(): Promise<string> {
    const parts: string[] = [];
    for (const { ip, node } of this.nodes) parts.push(`=== redis ${ip} ===\n${await node.logs().catch((e: unknown) => String(e))}`);
    for (const s of this.sentinels) parts.push(`=== sentinel ${s.ip} ===\n${await s.logs().catch((e: unknown) => String(e))}`);
    return parts.join("\n");
  }

  /** Removes every container, then both networks. */
  async remove(): Promise<void> {
    await removeAll(this.nodes, this.sentinels, this.accessNetwork, this.network);
  }
}

// Every removal is tried even when one fails, containers before their networks; the first failure is then thrown.
async function removeAll(nodes: GroupNode[], sentinels: StartedSentinel[], access: string, group: GroupNetwork | undefined): Promise<void> {
  const containers = await Promise.allSettled([...nodes.map((n) => n.node.remove()), ...sentinels.map((s) => s.remove())]);
  const networks = await Promise.allSettled([removeNetwork(access), ...(group ? [removeNetwork(group.name)] : [])]);
  const failed = [...containers, ...networks].find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
