import { beforeAll, describe, expect, inject } from "vitest";
import { MODES } from "../configs/modes.js";
import { VERSION_DIFFERENCES, extraVersionsUnderTest, hasBehaviour } from "../configs/version-differences.js";
import { runAclSavePowerLoss } from "../harness/cell/run-acl-save-power-loss.js";
import { resolveRedisImage } from "../harness/runtime/images.js";
import { VERSIONS } from "../harness/runtime/versions.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";

// Before 7.2, ACL SAVE did not fsync the ACL file (redis PR 10924): a user it saved can be lost on
// power loss. That is a documented expectation per version, so an old server losing it is green.
const unsupported = await faultFsUnsupportedReason(inject("redisImage"));
const difference = VERSION_DIFFERENCES.aclSaveFsync;

describe("ACL SAVE then power loss", () => {
  for (const version of ["default", ...extraVersionsUnderTest()] as const) {
    const image = { name: "" };
    beforeAll(async () => {
      image.name = version === "default" ? inject("redisImage") : (await resolveRedisImage(VERSIONS[version], "")).name;
    }, 600_000);

    faultFsCase(unsupported, `${version}: the user survives exactly when the server fsyncs ACL SAVE (since ${difference.since})`, async () => {
      const outcome = await runAclSavePowerLoss(image.name, MODES["aof-always"].configFile);
      const expected = hasBehaviour(outcome.serverVersion, difference);
      console.log(
        `ACL SAVE + power loss on ${outcome.serverVersion}: user ${outcome.userSurvived ? "survived" : "lost"} ` +
          `(expected ${expected ? "survived" : `lost: ${difference.before}`}; ${difference.source}); ACL file after: ${JSON.stringify(outcome.aclFileAfter)}`,
      );
      expect(outcome.proofs.filter((p) => !p.held), "the power cut must prove it bit").toEqual([]);
      expect(outcome.userSurvived, `${outcome.serverVersion}: ${expected ? difference.after : difference.before}`).toBe(expected);
    });
  }
});
