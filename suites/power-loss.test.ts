import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject } from "vitest";
import { AFTER_BGSAVE_EXPECTATION, POWER_LOSS_CONTRACTS } from "../configs/disk-fault-contracts.js";
import { MODES } from "../configs/modes.js";
import { extraVersionsUnderTest, hasBehaviour } from "../configs/version-differences.js";
import { faultFsStorage } from "../harness/cell/fault-fs-storage.js";
import { runCell } from "../harness/cell/run-cell.js";
import { namedVolumeStorage } from "../harness/cell/storage.js";
import { describeContract } from "../harness/checkers/contract.js";
import { DEFAULT_DATASET_MIB } from "../harness/cli/matrix-command.js";
import { DISK_FAULTS } from "../harness/faults/disk-faults.js";
import { FaultFs } from "../harness/faults/fault-fs/fault-fs.js";
import { cutPower } from "../harness/faults/power-cut.js";
import { serverVersionOfImage } from "../harness/runtime/image-version.js";
import { resolveRedisImage } from "../harness/runtime/images.js";
import { RedisNode } from "../harness/runtime/redis-node.js";
import type { StartedRedisNode } from "../harness/runtime/redis-node.js";
import { VERSIONS } from "../harness/runtime/versions.js";
import { afterBgsavePlan } from "./support/disk-case-plan.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { formatMeasurements } from "./support/measurements.js";
import { powerLossAfterRewrite } from "./support/power-loss-after-rewrite.js";
import { runDiskWeakening, weakeningVerdictLine } from "./support/run-disk-weakening.js";
import { DISK_WEAKENING_SPECS } from "./support/weakening-registry-disk.js";

// A process kill cannot tell `always` from `everysec` from `no` (the page cache survives); a power
// cut can. fault-fs keeps unsynced writes in memory and drops them on `lose-unsynced`.
const image = inject("redisImage");
const unsupported = await faultFsUnsupportedReason(image);

describe("power loss", () => {
  for (const spec of Object.values(MODES)) {
    const expected = POWER_LOSS_CONTRACTS[spec.mode];
    faultFsCase(unsupported, `${spec.mode} x power-loss: ${describeContract(expected.contract)}`, async () => {
      const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected, fault: DISK_FAULTS["power-loss"], image, storage: faultFsStorage(image) });
      console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
      expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    });
  }

  // The matrix's default preload crosses auto-aof-rewrite-min-size: the rewrite's fsynced base keeps the first writes.
  const aofNo = POWER_LOSS_CONTRACTS["aof-no"];
  faultFsCase(unsupported, `aof-no x power-loss after a ${DEFAULT_DATASET_MIB} MiB preload: ${describeContract(aofNo.contract)}`, async () => {
    const spec = MODES["aof-no"];
    const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected: aofNo, fault: DISK_FAULTS["power-loss"], image, storage: faultFsStorage(image), datasetMiB: DEFAULT_DATASET_MIB });
    console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
  });

  // A rewrite that finished mid-run: its fork is the last durable point, so the writes before it survive.
  faultFsCase(unsupported, `aof-no x power-loss after a BGREWRITEAOF mid-run: ${describeContract(aofNo.contract)}, and the writes before the rewrite's fork survive`, async () => {
    const spec = MODES["aof-no"];
    const result = await runCell({ mode: spec.mode, configFile: spec.configFile, expected: aofNo, fault: powerLossAfterRewrite, image, storage: faultFsStorage(image) });
    console.log(`${formatCellLine(result)} | ${formatMeasurements(result)}`);
    expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
    expect(result.verdict.figures.lostAcknowledged, "some writes acknowledged before the fork must have survived").toBeLessThan(result.verdict.figures.acknowledged);
    expect(String(result.measurements?.lastFsync), "the last durable point is the rewrite's").toMatch(/rewrite base|appendonly\.aof\.1\.incr\.aof/);
  });
});

describe("power loss only where it is real", () => {
  faultFsCase(unsupported, "a cut of a container whose /data is not the fault-fs mount is refused, and nothing is signalled or dropped", async () => {
    const volume = await namedVolumeStorage.create("power-cut-refused");
    const backingDir = await mkdtemp(path.join(tmpdir(), "power-cut-refused-"));
    const faultFs = await FaultFs.mount({ backingDir });
    let node: StartedRedisNode | undefined;
    try {
      node = await new RedisNode(image, MODES["aof-no"].configFile).withVolume(volume.source).start();
      await expect(cutPower(node, faultFs, { volume: volume.source })).rejects.toThrow(/^power cut refused: container \w+'s \/data is volume .*, not the fault-fs mount/);
      expect((await node.info("server")).get("redis_version"), "the server must still run").toMatch(/^\d/);
      expect((await faultFs.status()).losses).toBe(0);
    } finally {
      await node?.remove();
      await volume.remove();
      await faultFs.unmount();
      await rm(backingDir, { recursive: true, force: true });
    }
  });
});

// Whether a completed snapshot survives a power cut depends on the server fsyncing the directory
// after the rename (7.0.3 on): fault-fs in dir-fsync mode undoes a rename whose directory was not.
describe("power loss right after BGSAVE, per version", () => {
  const { contract, difference, withoutIt } = AFTER_BGSAVE_EXPECTATION;
  for (const version of ["default", ...extraVersionsUnderTest()] as const) {
    const target = { image: "", survives: true };
    beforeAll(async () => {
      target.image = version === "default" ? image : (await resolveRedisImage(VERSIONS[version], "")).name;
      target.survives = hasBehaviour(await serverVersionOfImage(target.image), difference);
    }, 600_000);

    faultFsCase(unsupported, `${version}: the completed snapshot survives exactly when the server fsyncs the directory (since ${difference.since})`, async () => {
      const result = await runCell({ ...afterBgsavePlan(target.image, MODES.rdb.configFile), expected: contract, expectBroken: !target.survives });
      const survives = hasBehaviour(result.serverVersion, difference);
      console.log(`${formatCellLine(result)} | ${formatMeasurements(result)} | expected: ${survives ? "the snapshot loads" : withoutIt} (${difference.source})`);
      expect(result.proofs.filter((p) => !p.held), "the power cut must prove it bit").toEqual([]);
      if (survives) {
        expect(result.verdict.valid, `${result.serverVersion}: ${difference.after}\n${formatCellFailure(result)}`).toBe(true);
      } else {
        const { figures } = result.verdict;
        expect({ valid: result.verdict.valid, allLost: figures.allLost, keysInDatabase: figures.keysInDatabase }, `${result.serverVersion}: ${difference.before}\n${formatCellFailure(result)}`).toEqual({
          valid: false,
          allLost: true,
          keysInDatabase: 0,
        });
      }
    });
  }
});

describe("weakened configs, disks and faults break the power-loss contracts", () => {
  for (const weakening of DISK_WEAKENING_SPECS.filter((w) => w.against.of !== "disk-fault-case")) {
    const against = weakening.against.of === "power-loss" ? `${weakening.against.mode} x power-loss` : "rdb x power-loss-after-bgsave";
    faultFsCase(unsupported, `${weakening.name}: the ${against} contract must come out ${String(weakening.expect)}`, async () => {
      const outcome = await runDiskWeakening(image, weakening);
      console.log(weakeningVerdictLine(outcome));
      expect(outcome.came, outcome.detail).toBe(weakening.expect);
    });
  }
});
