import { stat } from "node:fs/promises";
import { dockerEngine } from "./docker-engine.js";

interface ModemLike {
  host?: string;
  getSocketPath?(): Promise<string | undefined>;
}

/**
 * Why the Docker engine may not run on this host, or undefined when it talks over a unix socket
 * that exists here. A local socket is necessary, not sufficient (an engine in a VM also has one):
 * the power cut checks the container itself before signalling anything (container-on-fault-fs.ts).
 */
export async function remoteEngineReason(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dockerHost = env.DOCKER_HOST ?? "";
  if (dockerHost && !dockerHost.startsWith("unix://")) {
    return `the Docker engine is not on this host (DOCKER_HOST=${dockerHost}): it cannot bind-mount this host's FUSE mount, and its container pids are not this host's`;
  }
  let modem: ModemLike;
  try {
    modem = (await dockerEngine()).modem as ModemLike;
  } catch (error) {
    return (error as Error).message;
  }
  if (modem.host) return `the Docker engine is reached over the network (${modem.host}), not through a local socket`;
  const socketPath = await modem.getSocketPath?.();
  if (!socketPath) return "the Docker client has neither a host nor a socket path";
  const isSocket = await stat(socketPath).then(
    (s) => s.isSocket(),
    () => false,
  );
  return isSocket ? undefined : `the Docker socket ${socketPath} is not a unix socket on this host`;
}
