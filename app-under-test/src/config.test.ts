import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("has defaults for everything", () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ host: "127.0.0.1", port: 6379 });
    expect(config.port).toBe(8000);
    expect(config.historyLimit).toBe(100);
  });

  it("prefers REDIS_URL over REDIS_HOST/REDIS_PORT", () => {
    expect(loadConfig({ REDIS_URL: "redis://redis:6379", REDIS_HOST: "other" }).redis).toEqual({ url: "redis://redis:6379" });
    expect(loadConfig({ REDIS_HOST: "redis", REDIS_PORT: "6380" }).redis).toEqual({ host: "redis", port: 6380 });
  });

  it.each([
    ["HISTORY_LIMIT", "0"],
    ["HISTORY_LIMIT", "ten"],
    ["PORT", "70000"],
    ["MODEL_TTL_MS", "1.5"],
    ["REDIS_URL", "http://redis:6379"],
  ])("refuses %s=%s, naming it", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}=${value} `));
  });
});
