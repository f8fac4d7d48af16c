import { describe, expect, inject, it } from "vitest";
import { dockerEngine } from "../harness/runtime/docker-engine.js";
import { runLabels } from "../harness/runtime/labels.js";
import { createNetwork, removeNetwork } from "../harness/runtime/networks.js";

// The engine can say "has active endpoints" for a moment after a container left a network
// (moby#17217); removeNetwork outwaits that and, past a few seconds, disconnects what is still
// attached. A container that stays attached is the lasting form of the same answer.
describe("removing a network of the run", () => {
  it("removes it even while a container is still attached, and leaves that container running", async () => {
    const docker = await dockerEngine();
    const network = await createNetwork("removal-test");
    const container = await docker.createContainer({
      Image: inject("redisImage"),
      Entrypoint: ["sleep", "60"],
      Labels: runLabels("network-removal-test"),
      HostConfig: { NetworkMode: network },
    });
    try {
      await container.start();
      await removeNetwork(network);
      await expect(docker.getNetwork(network).inspect()).rejects.toMatchObject({ statusCode: 404 });
      const info = await container.inspect();
      expect(info.State.Running).toBe(true);
      expect(Object.keys(info.NetworkSettings.Networks)).not.toContain(network);
    } finally {
      await container.remove({ force: true, v: true });
      await removeNetwork(network);
    }
  }, 40_000);

  it("a network that is already gone is fine", async () => {
    const network = await createNetwork("removal-test");
    await removeNetwork(network);
    await expect(removeNetwork(network)).resolves.toBeUndefined();
  });
});
