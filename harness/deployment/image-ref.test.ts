import { describe, expect, it } from "vitest";
import { parseImageRef, versionForParsing } from "./image-ref.js";
import { imageTraits } from "./image-traits.js";
import { parseComposeBytes, parseDurationMs, parseK8sQuantity } from "./units.js";

describe("parseImageRef", () => {
  it.each([
    ["redis:7.2-alpine", { repository: "redis", tag: "7.2-alpine", family: "official-redis", server: "redis", version: "7.2" }],
    ["redis:7", { repository: "redis", tag: "7", version: "7" }],
    ["redis:7.2.4", { version: "7.2.4", unknown: [] }],
    ["docker.io/library/redis:8.0.2-bookworm", { registry: "docker.io", repository: "redis", version: "8.0.2" }],
    ["bitnami/redis:7.2", { repository: "bitnami/redis", family: "bitnami", server: "redis", version: "7.2" }],
    ["docker.io/bitnami/redis:7.0.4-debian-11-r9", { family: "bitnami", version: "7.0.4" }],
    ["valkey/valkey:8.1", { repository: "valkey/valkey", family: "official-valkey", server: "valkey", version: "8.1" }],
    ["redis/redis-stack-server:7.2.0-v10", { family: "redis-stack", server: "redis", version: "7.2.0" }],
    ["redis/redis-stack-server", { family: "redis-stack", tag: "latest" }],
    ["localhost:5000/team/redis:7", { registry: "localhost:5000", repository: "team/redis", family: "unknown", server: "unknown", version: "7" }],
    ["localhost/redis-persistence/redis-debian:bookworm", { registry: "localhost", family: "offline-build", server: "redis" }],
    ["postgres:16", { family: "unknown", server: "unknown", version: "16" }],
  ])("%s", (reference, expected) => {
    expect(parseImageRef(reference)).toMatchObject(expected);
  });

  it("says what a reference leaves unknown", () => {
    expect(parseImageRef("redis").unknown).toEqual(["no tag: `latest`, whichever release that is when it is pulled"]);
    expect(parseImageRef("redis:alpine").unknown).toEqual(["tag `alpine` names no version: the latest release of that variant"]);
    expect(parseImageRef("redis:7.2").unknown).toEqual(["tag `7.2` names the 7.2 line, not a release: the newest 7.2.x when pulled"]);
    const digest = parseImageRef("redis@sha256:0123");
    expect(digest.digest).toBe("sha256:0123");
    expect(digest.version).toBeUndefined();
    expect(digest.tag).toBeUndefined();
    expect(digest.unknown).toEqual(["pinned by digest only: the version is whatever that digest holds, the reference does not say"]);
    expect(parseImageRef("redis:7.2.4@sha256:0123").unknown).toEqual(["a tag and a digest: Docker runs the digest, the tag is only a label"]);
  });
});

describe("imageTraits", () => {
  it("knows the official images' entrypoint, working dir and VOLUME", () => {
    expect(imageTraits(parseImageRef("redis:7.2"))).toMatchObject({ entrypoint: ["docker-entrypoint.sh"], cmd: ["redis-server"], workingDir: "/data", volume: "/data", prefixesServer: true });
    expect(imageTraits(parseImageRef("valkey/valkey:8.0")).volume).toBe("/data");
    expect(imageTraits(parseImageRef("valkey/valkey:8.1")).volume).toBeNull();
    expect(imageTraits(parseImageRef("valkey/valkey:8")).volume).toBeNull();
    expect(imageTraits(parseImageRef("bitnami/redis:7.4"))).toMatchObject({ cmd: ["/opt/bitnami/scripts/redis/run.sh"], volume: null, prefixesServer: false });
    expect(imageTraits(parseImageRef("example/thing")).entrypoint).toBeUndefined();
  });
});

describe("versionForParsing", () => {
  it("reads a line's tag as its newest release", () => {
    expect(versionForParsing("redis", "7.0")).toBe("7.0.999");
    expect(versionForParsing("redis", "6")).toBe("6.999.999");
    expect(versionForParsing("redis", "7.2.4")).toBe("7.2.4");
    expect(versionForParsing("valkey", "8.1")).toBe("valkey 8.1");
    expect(versionForParsing("redis", undefined)).toBeUndefined();
  });
});

describe("units", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["2h", 7_200_000],
    ["30", 30_000],
  ])("duration %s", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
  it("refuses what is not a duration", () => {
    expect(parseDurationMs("ten")).toBeUndefined();
    expect(parseDurationMs("10 s")).toBeUndefined();
  });
  it.each([
    ["1g", 1024 ** 3],
    ["512m", 512 * 1024 ** 2],
    ["1gb", 1024 ** 3],
    ["100", 100],
  ])("compose bytes %s", (text, bytes) => {
    expect(parseComposeBytes(text)).toBe(bytes);
  });
  it.each([
    ["512Mi", 512 * 1024 ** 2],
    ["1G", 1e9],
    ["1e9", 1e9],
    ["128974848", 128974848],
  ])("k8s quantity %s", (text, bytes) => {
    expect(parseK8sQuantity(text)).toBe(bytes);
  });
});
