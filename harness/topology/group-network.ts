import { randomInt } from "node:crypto";
import { dockerEngine } from "../runtime/docker-engine.js";
import { runLabels } from "../runtime/labels.js";

/** The group's own network: its name and the addresses handed out on it. */
export interface GroupNetwork {
  name: string;
  /** The n-th fixed address on the network (n from 0), e.g. 10.213.7.10. */
  address(n: number): string;
}

const ATTEMPTS = 8;

/**
 * Creates a labelled, internal bridge network with a subnet of its own, so that every node gets a
 * fixed address: a node that is killed and started again, or disconnected and reconnected, comes
 * back under the address Sentinel and the replicas know it by. Docker hands out fixed addresses
 * only on a subnet the user configured; 10.213.x.0/24 lies outside Docker's default pools, so it
 * cannot collide with networks other runs get from them, and a taken x is retried. Internal: the
 * network has no gateway, so the nodes' published ports stay on their other network (see
 * accessNetwork) and cutting a node off this one leaves the writers' path to it alone.
 */
export async function createGroupNetwork(purpose: string): Promise<GroupNetwork> {
  const docker = await dockerEngine();
  const labels = runLabels("network");
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const prefix = `10.213.${randomInt(1, 255)}`;
    const name = `redis-persistence-${labels["org.redis-persistence.run"]}-${process.pid}-${purpose}-${prefix.split(".")[2]}`;
    try {
      await docker.createNetwork({
        Name: name,
        Driver: "bridge",
        Internal: true,
        CheckDuplicate: true,
        Labels: labels,
        IPAM: { Driver: "default", Config: [{ Subnet: `${prefix}.0/24` }] },
      });
      return { name, address: (n) => `${prefix}.${10 + n}` };
    } catch (error) {
      lastError = error;
      if (!/overlap|already exists/i.test(String((error as Error).message))) throw error;
    }
  }
  throw new Error(`could not create the group network after ${ATTEMPTS} subnets: ${String(lastError)}`);
}
