import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SourcedContract } from "../configs/modes.js";
import { MODES } from "../configs/modes.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import { runServiceCase } from "../harness/service/run-service-case.js";
import type { ServiceCaseResult } from "../harness/service/run-service-case.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { describeService, serviceUnderTestFromEnv } from "../harness/service/service-under-test.js";
import type { ServiceUnderTest } from "../harness/service/service-under-test.js";
import { formatReferenceMismatches, formatServiceCaseFailure, formatServiceCaseLine } from "./support/format-service-case.js";
import { referenceOnly } from "./support/reference-only.js";

// For every persistence mode, one Redis + service pair takes four faults in a row; each case
// writes its own series (one point each), so earlier cases do not blur later verdicts. The
// service is app-under-test unless SERVICE_IMAGE names another (see README: "Check your own service").
const redisImage = inject("redisImage");
const HISTORY_LIMIT = 1_000;
const SERVICE_GRACE_MS = 10_000;
const REDIS_FAULTS = [PROCESS_FAULTS.sigkill, PROCESS_FAULTS["graceful-stop"], PROCESS_FAULTS["recreate-same-volume"]];

/** A service keeps nothing of its own that matters: restarting it must not lose anything in any mode. */
const SERVICE_RESTART: SourcedContract = {
  contract: { kind: "none-lost" },
  source: "a service that keeps its state in Redis keeps nothing else; a service restart does not touch Redis",
};

let service: ServiceUnderTest | undefined;
beforeAll(async () => {
  service = await serviceUnderTestFromEnv();
  console.log(`service under test: ${describeService(service)}`);
});

for (const spec of Object.values(MODES)) {
  describe(`service on ${spec.mode}`, () => {
    let stack: ServiceStack | undefined;
    const results: ServiceCaseResult[] = [];
    let restartExitCode: number | undefined;
    beforeAll(async () => {
      const under = resolved(service);
      stack = await ServiceStack.start({
        purpose: `svc-${spec.mode}`,
        redisImage,
        service: under,
        configFile: spec.configFile,
        namedVolume: true,
        serviceEnv: under.kind === "reference" ? { HISTORY_LIMIT: String(HISTORY_LIMIT) } : {},
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
        rereadAfterServiceRestart: false,
        inflict: async (s) => {
          restartExitCode = (await s.restartService(SERVICE_GRACE_MS)).exitCode;
        },
      });
      results.push(result);
      console.log(`${formatServiceCaseLine(spec.mode, result)}, exit code after SIGTERM ${restartExitCode}`);
      expect(result.verdict.valid, formatServiceCaseFailure(spec.mode, result, SERVICE_RESTART.source)).toBe(true);
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
        results.push(result);
        console.log(formatServiceCaseLine(spec.mode, result));
        expect(result.verdict.valid, formatServiceCaseFailure(spec.mode, result, expected.source)).toBe(true);
      });
    }

    it(`${spec.mode}: exits 0 on SIGTERM, answers agree with what Redis holds (exact model output, cached or rebuilt user models)`, (ctx) => {
      referenceOnly(ctx, service, "its storage layout in Redis, its model's exact output, its SIGTERM drain");
      expect(results.map((r) => r.name), "cases that ran").toEqual(["service-restart", ...REDIS_FAULTS.map((f) => f.name)]);
      // 0: it drained and exited on SIGTERM by itself (137 would mean Docker had to kill it).
      expect.soft(restartExitCode, "service exit code after SIGTERM").toBe(0);
      expect.soft(results.flatMap((r) => r.referenceMismatches ?? []), formatReferenceMismatches(spec.mode, results)).toEqual([]);
    });
  });
}

function resolved(under: ServiceUnderTest | undefined): ServiceUnderTest {
  if (!under) throw new Error("the service under test was not resolved; see the beforeAll error");
  return under;
}

function started(stack: ServiceStack | undefined): ServiceStack {
  if (!stack) throw new Error("the stack did not start; see the beforeAll error");
  return stack;
}
