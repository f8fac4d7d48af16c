import { runOneOff } from "../runtime/one-off.js";
import { AOF_DIR } from "./aof-files.js";

/** What `redis-check-aof --fix` did to a data dir. */
export interface AofFix {
  exitCode: number;
  /** Bytes cut off the damaged file ("This will shrink the AOF ... with N bytes"); 0 when it changed nothing. */
  droppedBytes: number;
  output: string;
}

/**
 * Runs `redis-check-aof --fix` on the manifest in a throwaway container of `image` with `dataSource`
 * as /data, answering its confirmation prompt with `y`.
 */
export async function fixAof(image: string, dataSource: string, user?: string): Promise<AofFix> {
  const { exitCode, output } = await runOneOff({
    image,
    script: `echo y | redis-check-aof --fix ${AOF_DIR}/appendonly.aof.manifest`,
    workingDir: "/data",
    binds: [`${dataSource}:/data:rw`],
    ...(user === undefined ? {} : { user }),
  });
  const droppedBytes = Number(/This will shrink the AOF .* from \d+ bytes, with (\d+) bytes, to \d+ bytes/.exec(output)?.[1] ?? 0);
  return { exitCode, droppedBytes, output };
}
