import { demuxDockerLog } from "./docker-log.js";
import { dockerEngine } from "./docker-engine.js";
import { runLabels } from "./labels.js";

/** A short-lived container's command and mounts. */
export interface OneOffSpec {
  image: string;
  /** A shell script, run as `sh -c <script>` in place of the image's entrypoint and command. */
  script: string;
  user?: string;
  workingDir?: string;
  /** Docker Binds, `source:target[:mode]`. */
  binds?: string[];
}

/** How a one-off container ended. */
export interface OneOffResult {
  exitCode: number;
  output: string;
}

/** Runs a command in a labelled throwaway container of `image`, waits for it, and removes it. */
export async function runOneOff(spec: OneOffSpec): Promise<OneOffResult> {
  const docker = await dockerEngine();
  const container = await docker.createContainer({
    Image: spec.image,
    Entrypoint: ["sh", "-c"],
    Cmd: [spec.script],
    User: spec.user ?? "",
    WorkingDir: spec.workingDir ?? "",
    Labels: runLabels("one-off"),
    HostConfig: { Binds: spec.binds ?? [], NetworkMode: "none" },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: StatusCode, output: demuxDockerLog(logs) };
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
