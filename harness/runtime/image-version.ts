import { dockerEngine } from "./docker-engine.js";
import { serverBinaryOf } from "./images.js";
import { runLabels } from "./labels.js";

/** The server version an image ships ("7.0.15"), read from `<server> --version` in a throwaway container. */
export async function serverVersionOfImage(image: string): Promise<string> {
  const docker = await dockerEngine();
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: [serverBinaryOf(image)],
    Cmd: ["--version"],
    Labels: runLabels("version-probe"),
  });
  try {
    await container.start();
    await container.wait();
    const output = (await container.logs({ stdout: true, stderr: true })).toString("latin1");
    const version = /v=(\d+\.\d+\.\d+)/.exec(output)?.[1];
    if (!version) throw new Error(`cannot tell the server version of ${image} from: ${output.trim()}`);
    return version;
  } finally {
    await container.remove({ force: true, v: true });
  }
}
