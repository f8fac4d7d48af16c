import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SourcedContract } from "../configs/modes.js";
import { MODES } from "../configs/modes.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { resolveServiceImage } from "../harness/runtime/service-image.js";
import { runServiceCase } from "../harness/service/run-service-case.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { formatServiceCaseFailure, formatServiceCaseLine } from "./support/format-service-case.js";

// For every persistence mode, one Redis + service pair takes four faults in a row; each case
// writes its own series and user, so earlier cases do not blur later verdicts.
const redisImage = inject("redisImage");
const HISTORY_LIMIT = 1_000;
const SERVICE_GRACE_MS = 10_000;
const REDIS_FAULTS = [PROCESS_FAULTS.sigkill, PROCESS_FAULTS["graceful-stop"], PROCESS_FAULTS["recreate-same-volume"]];

/** The service keeps nothing of its own: restarting it must not lose anything in any mode. */
const SERVICE_RESTART: SourcedContract = {
  contract: { kind: "none-lost" },
  source: "app-under-test keeps no state outside Redis; a service restart does not touch Redis",
};

let serviceImage: string;
beforeAll(async () => {
  serviceImage = (await resolveServiceImage()).name;
});

for (const spec of Object.values(MODES)) {
  describe(`service on ${spec.mode}`, () => {
    let stack: ServiceStack | undefined;
    beforeAll(async () => {
      stack = await ServiceStack.start({
        purpose: `svc-${spec.mode}`,
        redisImage,
        serviceImage,
        configFile: spec.configFile,
        namedVolume: true,
        serviceEnv: { HISTORY_LIMIT: String(HISTORY_LIMIT) },
      });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it(`${spec.mode} x service restart: ${describeContract(SERVICE_RESTART.contract)}`, async () => {
      const result = await runServiceCase({
        name: "service-restart",
        stack: started(stack),
        contract: SERVICE_RESTART.contract,
        historyLimit: HISTORY_LIMIT,
        inflict: async (s) => {
          const { exitCode } = await s.restartService(SERVICE_GRACE_MS);
          // 0: it drained and exited on SIGTERM by itself (137 would mean Docker had to kill it).
          expect.soft(exitCode, "service exit code after SIGTERM").toBe(0);
        },
      });
      console.log(formatServiceCaseLine(spec.mode, result));
      expect.soft(result.verdict.valid, formatServiceCaseFailure(spec.mode, result, SERVICE_RESTART.source)).toBe(true);
      expect.soft(result.mismatches, formatServiceCaseFailure(spec.mode, result, SERVICE_RESTART.source)).toEqual([]);
    });

    for (const fault of REDIS_FAULTS) {
      const expected = spec.contracts[fault.name];
      it(`${spec.mode} x ${fault.name}: ${describeContract(expected.contract)}`, async () => {
        const result = await runServiceCase({
          name: fault.name,
          stack: started(stack),
          contract: expected.contract,
          historyLimit: HISTORY_LIMIT,
          inflict: async (s) => {
            await s.faultRedis(fault);
          },
        });
        console.log(formatServiceCaseLine(spec.mode, result));
        expect.soft(result.verdict.valid, formatServiceCaseFailure(spec.mode, result, expected.source)).toBe(true);
        expect.soft(result.mismatches, formatServiceCaseFailure(spec.mode, result, expected.source)).toEqual([]);
      });
    }
  });
}

function started(stack: ServiceStack | undefined): ServiceStack {
  if (!stack) throw new Error("the stack did not start; see the beforeAll error");
  return stack;
}
