import type Dockerode from "dockerode";
import { dockerEngine } from "../runtime/docker-engine.js";
import { runLabels } from "../runtime/labels.js";

/** One container of the group: what it runs, and where it sits on the two networks. */
export interface GroupContainerSpec {
  image: string;
  role: "redis" | "sentinel";
  /** The network its port is published from (127.0.0.1 only). */
  accessNetwork: string;
  /** The group's own network, and the fixed address it has there. */
  groupNetwork: string;
  ip: string;
  /** The port inside the container to publish on 127.0.0.1. */
  port: number;
  /** The config file's text, written by the container's shell to `configPath` before the server starts. */
  configText: string;
  configPath: string;
  /** The server's argv after the config file. */
  argv: string[];
  serverBinary: string;
}

/**
 * Creates and starts a labelled container on both networks. It joins the access network first (its
 * published port lives there) and the group network, under its fixed address, before it starts.
 * The config reaches the container as an environment variable that its shell writes to a file
 * owned by the server's user: Sentinel rewrites its config file, so that file must be writable.
 */
export async function startGroupContainer(spec: GroupContainerSpec): Promise<Dockerode.Container> {
  const docker = await dockerEngine();
  const script = `printf '%s' "$RP_CONF" > ${spec.configPath} && exec ${spec.serverBinary} ${spec.configPath} "$@"`;
  const container = await docker.createContainer({
    Image: spec.image,
    Entrypoint: ["sh", "-c", script, "sh"],
    Cmd: spec.argv,
    Env: [`RP_CONF=${spec.configText}`],
    Labels: runLabels(spec.role),
    ExposedPorts: { [`${spec.port}/tcp`]: {} },
    HostConfig: {
      NetworkMode: spec.accessNetwork,
      PortBindings: { [`${spec.port}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "" }] },
    },
  });
  try {
    await docker.getNetwork(spec.groupNetwork).connect({ Container: container.id, EndpointConfig: { IPAMConfig: { IPv4Address: spec.ip } } });
    await container.start();
  } catch (error) {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    throw error;
  }
  return container;
}

/** The 127.0.0.1 port `port` of a running container is published on (it changes on every start). */
export async function publishedPort(container: Dockerode.Container, port: number): Promise<number> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports[`${port}/tcp`]?.[0];
  if (!binding) throw new Error(`container ${container.id.slice(0, 12)} publishes no port for ${port} (state: ${info.State.Status})`);
  return Number(binding.HostPort);
}
