// The fault filesystem's cost: redis-benchmark SET inside the container (no port proxy in the way)
// with `appendfsync always`, on a plain named volume and on fault-fs, alternating, in one run.
// Usage: tsx scripts/bench-fault-fs.ts [requests per measurement, default 20000] [rounds, default 3]
import { MODES } from "../configs/modes.js";
import { faultFsStorage } from "../harness/cell/fault-fs-storage.js";
import { namedVolumeStorage } from "../harness/cell/storage.js";
import type { CellStorage } from "../harness/cell/storage.js";
import { faultFsSupport } from "../harness/faults/fault-fs/support.js";
import { dockerEngine } from "../harness/runtime/docker-engine.js";
import { demuxDockerLog } from "../harness/runtime/docker-log.js";
import { RedisNode } from "../harness/runtime/redis-node.js";
import type { StartedRedisNode } from "../harness/runtime/redis-node.js";
import { openSession } from "../harness/runtime/session.js";

const requests = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);

async function benchmarkSet(node: StartedRedisNode): Promise<number> {
  const container = (await dockerEngine()).getContainer(node.shortId);
  const exec = await container.exec({
    Cmd: ["redis-benchmark", "-t", "set", "-n", String(requests), "-c", "1", "-r", "100000", "-q"],
    AttachStdout: true,
    AttachStderr: true,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of await exec.start({})) chunks.push(chunk as Buffer);
  const output = demuxDockerLog(Buffer.concat(chunks));
  const rate = [...output.matchAll(/SET: ([\d.]+) requests per second/g)].at(-1)?.[1];
  if (!rate) throw new Error(`no rate in redis-benchmark's output:\n${output}`);
  return Number(rate);
}

async function measure(image: string, storage: CellStorage): Promise<number> {
  const dataDir = await storage.create("bench");
  let node: StartedRedisNode | undefined;
  try {
    node = await new RedisNode(image, MODES["aof-always"].configFile).withVolume(dataDir.source).start();
    return await benchmarkSet(node);
  } finally {
    await node?.remove();
    await dataDir.remove();
  }
}

const support = await faultFsSupport();
if (!support.supported) {
  process.stderr.write(`${support.reason}\n`);
  process.exit(1);
}
const session = await openSession();
try {
  const image = session.image.name;
  console.log(`redis-benchmark SET, ${requests} requests, 1 client, appendfsync always, ${image}:`);
  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order: the disk under both is shared and noisy, and whichever runs second sees a warmer cache.
    const volumeFirst = round % 2 === 1;
    const first = await measure(image, volumeFirst ? namedVolumeStorage : faultFsStorage(image));
    const second = await measure(image, volumeFirst ? faultFsStorage(image) : namedVolumeStorage);
    const [volume, faultFs] = volumeFirst ? [first, second] : [second, first];
    ratios.push(faultFs / volume);
    console.log(`  round ${round}: named volume ${volume.toFixed(0)} SET/s, fault-fs ${faultFs.toFixed(0)} SET/s, ratio ${(faultFs / volume).toFixed(2)}`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`  fault-fs / named volume, median of ${rounds}: ${(sorted[Math.floor(sorted.length / 2)] ?? NaN).toFixed(2)}`);
} finally {
  await session.close();
}
