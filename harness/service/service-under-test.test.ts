import { describe, expect, it } from "vitest";
import { DEFAULT_REDIS_ENV, ServiceConfigError, parseEnvList, redisEnvFor, serviceUnderTestFromEnv } from "./service-under-test.js";

describe("parseEnvList", () => {
  it("reads K=V entries separated by spaces, quoted values with spaces, empty values", () => {
    expect(parseEnvList("LOOKBACK_WINDOW=1000  DEBUG=1", "SERVICE_ENV")).toEqual({ LOOKBACK_WINDOW: "1000", DEBUG: "1" });
    expect(parseEnvList(`A="x y" B='z=1' C=`, "SERVICE_ENV")).toEqual({ A: "x y", B: "z=1", C: "" });
    expect(parseEnvList("URL=redis://{host}:{port}/0", "SERVICE_REDIS_ENV")).toEqual({ URL: "redis://{host}:{port}/0" });
    expect(parseEnvList("   ", "SERVICE_ENV")).toEqual({});
  });

  it("names the knob and the entry it cannot read", () => {
    expect(() => parseEnvList("A=1 oops", "SERVICE_ENV")).toThrow(ServiceConfigError);
    expect(() => parseEnvList("A=1 oops", "SERVICE_ENV")).toThrow(/^SERVICE_ENV: expected NAME=value entries .*got "oops"$/);
    expect(() => parseEnvList('A="unterminated', "SERVICE_ENV")).toThrow(/got "A=\\"unterminated"/);
  });
});

describe("redisEnvFor", () => {
  it("fills in where Redis is", () => {
    expect(redisEnvFor(parseEnvList(DEFAULT_REDIS_ENV, "x"), { host: "redis", port: 6379 })).toEqual({ REDIS_HOST: "redis", REDIS_PORT: "6379" });
    expect(redisEnvFor({ REDIS_URL: "redis://{host}:{port}" }, { host: "redis", port: 6379 })).toEqual({ REDIS_URL: "redis://redis:6379" });
  });
});

describe("serviceUnderTestFromEnv", () => {
  it("reads every knob before asking Docker anything, and names the one that is wrong", async () => {
    await expect(serviceUnderTestFromEnv({ SERVICE_IMAGE: "x", SERVICE_PORT: "70000" })).rejects.toThrow(/SERVICE_PORT: expected the port .* got "70000"/);
    await expect(serviceUnderTestFromEnv({ SERVICE_IMAGE: "x", SERVICE_ENV: "nope" })).rejects.toThrow(/^SERVICE_ENV: /);
  });
});
