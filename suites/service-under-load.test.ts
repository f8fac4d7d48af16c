import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { describeContract } from "../harness/checkers/contract.js";
import { PROCESS_FAULTS } from "../harness/faults/index.js";
import type { FaultName } from "../harness/faults/fault.js";
import { statusRuns } from "../harness/service/health-poller.js";
import { runUnderLoad } from "../harness/service/run-under-load.js";
import type { UnderLoadResult } from "../harness/service/run-under-load.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { describeService, serviceUnderTestFromEnv } from "../harness/service/service-under-test.js";
import type { ServiceUnderTest } from "../harness/service/service-under-test.js";
import { referenceOnly } from "./support/reference-only.js";

// Users keep posting while Redis goes away and comes back: the service must come back by itself
// and never have answered 2xx for a point that the mode's contract says must survive but did not.
// The reference also answers 503 at once while Redis is gone (its documented behaviour).
const redisImage = inject("redisImage");
const WRITERS = 4;
const WRITE_BEFORE_MS = 1_500;
const OUTAGE_MS = 1_500;
const WRITE_AFTER_MS = 1_000;
const HEALTH_POLL_MS = 50;
/** The reference's REDIS_COMMAND_TIMEOUT_MS (1 s) plus slack: none of its requests may hang longer. */
const FAIL_FAST_MS = 2_000;

let service: ServiceUnderTest | undefined;
beforeAll(async () => {
  service = await serviceUnderTestFromEnv();
  console.log(`service under test: ${describeService(service)}`);
});

const CASES: { mode: Mode; fault: FaultName }[] = [
  { mode: "aof-everysec", fault: "graceful-stop" },
  { mode: "aof-always", fault: "sigkill" },
];

describe.each(CASES)("Redis $fault under load, $mode", ({ mode, fault: faultName }) => {
  const spec = MODES[mode];
  const expected = spec.contracts[faultName];
  let stack: ServiceStack | undefined;
  let result: UnderLoadResult | undefined;
  afterAll(async () => {
    await stack?.close();
  });

  it(`comes back by itself, ${describeContract(expected.contract)}`, async () => {
    if (!service) throw new Error("the service under test was not resolved; see the beforeAll error");
    stack = await ServiceStack.start({
      purpose: `load-${mode}`,
      redisImage,
      service,
      configFile: spec.configFile,
      namedVolume: true,
      serviceEnv: service.kind === "reference" ? { HISTORY_LIMIT: "10" } : {},
    });
    result = await runUnderLoad({
      stack,
      fault: PROCESS_FAULTS[faultName],
      contract: expected.contract,
      writers: WRITERS,
      writeBeforeMs: WRITE_BEFORE_MS,
      outageMs: OUTAGE_MS,
      writeAfterMs: WRITE_AFTER_MS,
      healthPollMs: HEALTH_POLL_MS,
    });
    console.log(`${mode} x ${faultName} under load: ${result.summary}`);
    const { verdict, answers, healthyAtMs } = result;
    expect.soft(answers.filter((a) => a.atMs > healthyAtMs && a.status >= 200 && a.status < 300).length, "points acknowledged after recovery").toBeGreaterThan(0);
    expect.soft(verdict.valid, [...verdict.reasons, ...verdict.evidence, `source: ${expected.source}`].join("\n")).toBe(true);
  });

  it("health 503 while Redis is away and 200 around it, every request answered within 2 s (503 at once)", (ctx) => {
    referenceOnly(ctx, service, "its documented 503 at once while Redis is unreachable, within REDIS_COMMAND_TIMEOUT_MS");
    if (!result) throw new Error("the load case did not run; see the test before");
    const { health, duringOutage, slowestMs } = result;
    expect.soft(statusRuns(health), "GET /health over the run").toEqual([200, 503, 200]);
    expect.soft(duringOutage.filter((a) => a.status === 503).length, "requests answered 503 while Redis was away").toBeGreaterThan(0);
    expect.soft(duringOutage.filter((a) => a.status !== 503 && a.status !== 200), "answers other than 200/503 during the outage").toEqual([]);
    expect.soft(slowestMs, `the slowest request took ${Math.round(slowestMs)} ms`).toBeLessThan(FAIL_FAST_MS);
  });
});
