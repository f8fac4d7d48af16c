import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { VERSION_DIFFERENCES, compareVersions, extraVersionsUnderTest, hasBehaviour } from "../configs/version-differences.js";
import { runCell } from "../harness/cell/run-cell.js";
import { upgradeInPlace } from "../harness/faults/upgrade-in-place.js";
import { serverVersionOfImage } from "../harness/runtime/image-version.js";
import { resolveRedisImage } from "../harness/runtime/images.js";
import { VERSIONS } from "../harness/runtime/versions.js";
import { formatCellFailure, formatCellLine } from "./support/format-cell.js";
import { defineProcessFaultMatrix } from "./support/process-fault-matrix.js";

// REDIS_VERSIONS picks the versions run besides the default image (default: 6.0).
for (const version of extraVersionsUnderTest()) {
  describe(`version ${version}`, () => {
    const images = { extra: "", extraVersion: "", default: inject("redisImage"), defaultVersion: "" };

    beforeAll(async () => {
      images.extra = (await resolveRedisImage(VERSIONS[version], "")).name;
      images.extraVersion = await serverVersionOfImage(images.extra);
      images.defaultVersion = await serverVersionOfImage(images.default);
    }, 600_000);

    defineProcessFaultMatrix(`${version}:`, () => images.extra);

    for (const mode of ["rdb", "aof-always"] as const) {
      it(`upgrade in place between ${version} and the default image keeps every acknowledged write (${mode})`, async () => {
        const [from, to] =
          compareVersions(images.extraVersion, images.defaultVersion) <= 0
            ? [images.extra, images.default]
            : [images.default, images.extra];
        const spec = MODES[mode];
        const result = await runCell({
          mode: spec.mode,
          configFile: spec.configFile,
          expected: { contract: { kind: "none-lost" }, source: "redis.io upgrade docs: a newer server loads the RDB/AOF of an older one" },
          fault: upgradeInPlace(to),
          image: from,
          keepArtifacts: true,
        });
        console.log(`${formatCellLine(result)} -> served by ${result.serverVersionAfter}`);
        expect(result.verdict.valid, formatCellFailure(result)).toBe(true);
        expect(result.serverVersionAfter).not.toBe(result.serverVersion);

        const multiPart = VERSION_DIFFERENCES.multiPartAof;
        if (mode === "aof-always" && !hasBehaviour(result.serverVersion, multiPart) && hasBehaviour(result.serverVersionAfter, multiPart)) {
          // The single-file AOF of the old server must have been taken over as a multi-part AOF.
          const listing = await readFile(path.join(result.artifactsDir ?? "", "data-dir.txt"), "utf8");
          expect(listing, "after the upgrade the AOF should live in appendonlydir/ with a manifest").toMatch(/appendonly\.aof\.manifest/);
        }
      });
    }
  });
}
