import { readFile } from "node:fs/promises";
import path from "node:path";

/** Where Redis 7+ keeps the AOF parts, relative to /data (appenddirname's default). */
export const AOF_DIR = "appendonlydir";

/** The last incremental AOF file named in the manifest under `dataDir`, relative to it: the file new writes go to. */
export async function lastIncrAof(dataDir: string): Promise<string> {
  const manifest = await readFile(path.join(dataDir, AOF_DIR, "appendonly.aof.manifest"), "utf8");
  const incr = manifest
    .split("\n")
    .map((line) => /^file (\S+) seq \d+ type i$/.exec(line.trim())?.[1])
    .filter((name): name is string => name !== undefined)
    .at(-1);
  if (!incr) throw new Error(`no incremental AOF in the manifest under ${dataDir}:\n${manifest}`);
  return `${AOF_DIR}/${incr}`;
}
