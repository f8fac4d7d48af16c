import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseFatalConfigError } from "./fatal-config-error.js";
import { rejectionError } from "./gate-config-error.js";
import { parseConf } from "./parse-conf.js";
import type { ImageServer } from "./server-version.js";
import { compareVersions } from "./server-version.js";
import { versionProblem } from "./unknown-directive.js";

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const bookworm: ImageServer = { flavor: "redis", version: "7.0.15" };
const flagged = (text: string, server: ImageServer) =>
  parseConf(text).directives.flatMap((d) => {
    const problem = versionProblem(d.name, server);
    return problem ? [[d.line, d.name, problem.needs.version]] : [];
  });

describe("versionProblem on the stock configs", () => {
  it("flags what the 7.2 stock redis.conf adds for the 7.0.15 image: locale-collate and the set listpack limits", () => {
    expect(flagged(fixture("redis-7.2-stock.conf"), bookworm)).toEqual([
      [17, "locale-collate", "7.2.0"],
      [61, "set-max-listpack-entries", "7.2.0"],
      [62, "set-max-listpack-value", "7.2.0"],
    ]);
  });

  it("says needs Redis >= 7.2 (this image is Redis 7.0.15) and how to pick another image, not typo", () => {
    const problem = versionProblem("locale-collate", bookworm);
    expect(problem?.message).toBe("`locale-collate` needs Redis >= 7.2 (this image is Redis 7.0.15)");
    expect(problem?.pick).toMatch(/^pick an image of such a version with --image, one of the versions this suite knows: 7\.2 \(redis:7\.2\), 7\.4 \(redis:7\.4\), 8\.0 \(redis:8\.0, or localhost\/redis-persistence\/redis-debian:trixie built from Debian's packages by `bash scripts\/build-offline-image\.sh trixie /);
  });

  it("says a Valkey directive is Valkey's, and which Redis directive Valkey lacks", () => {
    expect(flagged(fixture("valkey-8.0-stock.conf"), bookworm).map(([, name]) => name)).toEqual([
      "hide-user-data-from-log",
      "locale-collate",
      "dual-channel-replication-enabled",
      "set-max-listpack-entries",
      "set-max-listpack-value",
    ]);
    expect(versionProblem("dual-channel-replication-enabled", bookworm)).toMatchObject({
      message: "`dual-channel-replication-enabled` is a Valkey directive (since 8.0): Redis does not know it (this image is Redis 7.0.15)",
      pick: expect.stringMatching(/versions this suite knows: valkey-8\.1 \(valkey\/valkey:8\.1, /),
    });
    expect(versionProblem("gopher-enabled", { flavor: "valkey", version: "8.1.1" })?.message).toMatch(/^`gopher-enabled` is a Redis directive \(since 6\.0\): Valkey does not know it/);
  });

  it("says a directive Redis dropped was dropped", () => {
    expect(versionProblem("gopher-enabled", bookworm)).toMatchObject({
      message: "`gopher-enabled` was dropped after Redis 6.2 (this image is Redis 7.0.15): remove the line, or run an older image",
      pick: expect.stringMatching(/knows: 6\.0 \(redis:6\.0, or .*\), 6\.2 \(redis:6\.2\)$/),
    });
  });

  it("has nothing to say where the image knows the directive, or nobody does", () => {
    expect(flagged(fixture("redis-6.2-stock.conf"), bookworm)).toEqual([]);
    expect(flagged(fixture("redis-7.2-stock.conf"), { flavor: "redis", version: "7.2.0" })).toEqual([]);
    expect(versionProblem("appendfsync", bookworm)).toBeUndefined();
    expect(versionProblem("apendonly", bookworm)).toBeUndefined();
    expect(versionProblem("cluster-allow-replica-migration", { flavor: "redis", version: "6.2.1" })?.message).toMatch(/needs Redis >= 6\.2\.2/);
  });
});

describe("rejectionError: Redis's refusal of a directive of a newer version", () => {
  const log = ["*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***", "Reading the configuration file, at line 17", ">>> 'locale-collate \"\"'", "Bad directive or wrong number of arguments"].join("\n");
  const text = fixture("redis-7.2-stock.conf");

  it("is an image problem listing every such line, with Redis's message on the line it stopped at", () => {
    const fatal = parseFatalConfigError(log);
    if (!fatal) throw new Error("the log has a FATAL block");
    const error = rejectionError("redis.conf", fatal, parseConf(text), 100, bookworm);
    expect(error.origin).toBe("image");
    expect(error.problems.map((p) => [p.line, p.needs?.version])).toEqual([
      [17, "7.2.0"],
      [61, "7.2.0"],
      [62, "7.2.0"],
    ]);
    expect(error.message).toMatch(/line 17: locale-collate ""\n {4}`locale-collate` needs Redis >= 7\.2 \(this image is Redis 7\.0\.15\); Redis says: Bad directive or wrong number of arguments\n/);
    expect(error.hints).toEqual([expect.stringMatching(/^Pick an image of such a version with --image, .*7\.2 \(redis:7\.2\)/), "Or drop those lines, if this deployment does not need them."]);
  });

  it("stays Redis's own message for a typo", () => {
    const typo = parseFatalConfigError(log.replace("line 17", "line 3").replace(`'locale-collate ""'`, "'appendfsync alwayz'"));
    if (!typo) throw new Error("the log has a FATAL block");
    const error = rejectionError("redis.conf", typo, parseConf("save 900 1\nappendonly yes\nappendfsync alwayz\n"), 3, bookworm);
    expect(error.origin).toBe("redis");
    expect(error.problems).toEqual([{ line: 3, text: "appendfsync alwayz", message: "Redis says: Bad directive or wrong number of arguments" }]);
  });
});

describe("compareVersions", () => {
  it("orders dotted versions numerically", () => {
    expect(compareVersions("7.0.15", "7.2.0")).toBeLessThan(0);
    expect(compareVersions("7.10.0", "7.9.9")).toBeGreaterThan(0);
    expect(compareVersions("7.2", "7.2.0")).toBe(0);
  });
});

describe("versionProblem on names of Object's own", () => {
  it("has no row for `constructor` or `__proto__` (a typo, not a crash)", () => {
    expect(versionProblem("constructor", bookworm)).toBeUndefined();
    expect(versionProblem("__proto__", bookworm)).toBeUndefined();
  });
});
