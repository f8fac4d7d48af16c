import type { TestContext } from "vitest";
import type { ServiceUnderTest } from "../../harness/service/service-under-test.js";

/**
 * Skips the running test, with the reason as its note, unless the service under test is the
 * reference (app-under-test): what only our service can satisfy (its model's exact output, its
 * storage layout in Redis, its TTL model, its documented 503s) is shown as skipped, never passed.
 */
export function referenceOnly(ctx: TestContext, service: ServiceUnderTest | undefined, what: string): ServiceUnderTest {
  if (!service) throw new Error("the service under test was not resolved; see the beforeAll error");
  ctx.skip(service.kind !== "reference", `only app-under-test can satisfy this (${what}); ${service.image} is a foreign service`);
  return service;
}
