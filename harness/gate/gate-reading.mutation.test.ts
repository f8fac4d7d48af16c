import { describe, expect, it } from "vitest";
import { DIRECTIVE_VERSIONS } from "./directive-versions.js";
import { parseFatalConfigError } from "./fatal-config-error.js";
import { MULTI_ARG_DIRECTIVES, splitMultiArg, splitsQuotedMultiArg } from "./multi-arg.js";
import { parseConf, splitArgs } from "./parse-conf.js";
import { compareVersions, describeServer, serverVersionText, shortVersion } from "./server-version.js";

describe("parseFatalConfigError", () => {
  it("reads a block Redis printed among other log lines, with CRLF", () => {
    const log = [
      "1:C 01 Dec 2026 09:00:00.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
      "",
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***",
      "Reading the configuration file, at line 12",
      ">>> 'locale-collate \"\"'",
      "Bad directive or wrong number of arguments",
    ].join("\r\n");
    expect(parseFatalConfigError(log)).toEqual({ line: 12, text: 'locale-collate ""', message: "Bad directive or wrong number of arguments" });
  });

  it("keeps a quoted text without its quotes only when it is quoted at both ends, and joins a message of several lines", () => {
    const log = ["*** FATAL CONFIG FILE ERROR (Redis 6.0.16) ***", "Reading the configuration file, at line 2", ">>> 'save 900'x", "  wrong number", "of arguments  "].join("\n");
    expect(parseFatalConfigError(log)).toEqual({ line: 2, text: "'save 900'x", message: "wrong number of arguments" });
  });

  it("leaves out what the block does not say, and says when Redis gave no reason", () => {
    expect(parseFatalConfigError("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n")).toEqual({ line: undefined, text: undefined, message: "Redis gave no reason" });
    expect(parseFatalConfigError("*** FATAL CONFIG FILE ERROR ***\nReading the configuration file, at line 7\n")).toEqual({ line: 7, text: undefined, message: "Redis gave no reason" });
  });

  it("reads only what follows the block's head", () => {
    const log = ["at line 99", ">>> 'before'", "*** FATAL CONFIG FILE ERROR ***", ">>> 'appendonly maybe'", "argument must be 'yes' or 'no'"].join("\n");
    expect(parseFatalConfigError(log)).toEqual({ line: undefined, text: "appendonly maybe", message: "argument must be 'yes' or 'no'" });
  });
});

describe("the directive-version table", () => {
  const VERSION = /^\d+\.\d+\.\d+$/;

  it("dates every directive with full release numbers, or null where a server never knew it", () => {
    for (const [directive, row] of Object.entries(DIRECTIVE_VERSIONS)) {
      expect(directive).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
      expect(row.redis === null || VERSION.test(row.redis), `${directive} redis ${row.redis}`).toBe(true);
      expect(row.valkey === null || VERSION.test(row.valkey), `${directive} valkey ${row.valkey}`).toBe(true);
      expect(row.redis !== null || row.valkey !== null, directive).toBe(true);
      if (row.redisUntil !== undefined) {
        // A release line, not a patch release: 6.2.17 and later still know what 6.2.16 knew.
        expect(row.redisUntil).toMatch(/^\d+\.\d+$/);
        expect(row.redis === null ? -1 : compareVersions(row.redisUntil, row.redis)).toBeGreaterThan(0);
      }
    }
  });

  it("lists only what some release of 6.0 to 8.0 or Valkey does not know", () => {
    for (const [directive, row] of Object.entries(DIRECTIVE_VERSIONS)) {
      const everyRedis = row.redis === "6.0.0" && row.redisUntil === undefined;
      const everyValkey = row.valkey === "7.2.4";
      expect(everyRedis && everyValkey, directive).toBe(false);
      // Valkey forked from 7.2.4: what Redis knew by then, Valkey knows from its first release.
      if (row.redis !== null && compareVersions(row.redis, "7.2.4") <= 0 && row.redisUntil === undefined) expect(row.valkey, directive).toBe("7.2.4");
    }
  });

  it("knows the directives the gate names most", () => {
    expect(DIRECTIVE_VERSIONS["locale-collate"]).toEqual({ redis: "7.2.0", valkey: "7.2.4" });
    expect(DIRECTIVE_VERSIONS["shutdown-on-sigterm"]).toEqual({ redis: "7.0.0", valkey: "7.2.4" });
    expect(DIRECTIVE_VERSIONS["gopher-enabled"]).toEqual({ redis: "6.0.0", redisUntil: "6.2", valkey: null });
    expect(DIRECTIVE_VERSIONS["availability-zone"]).toEqual({ redis: null, valkey: "8.0.0" });
    expect(DIRECTIVE_VERSIONS.appendfsync).toBeUndefined();
  });
});

describe("server versions", () => {
  it("names the server and its version as the reports do", () => {
    expect(describeServer({ flavor: "redis", version: "7.0.15" })).toBe("Redis 7.0.15");
    expect(describeServer({ flavor: "valkey", version: "8.1.1" })).toBe("Valkey 8.1.1");
    expect(serverVersionText({ flavor: "redis", version: "7.0.15" })).toBe("7.0.15");
    expect(serverVersionText({ flavor: "valkey", version: "8.1.1" })).toBe("valkey 8.1.1");
  });

  it("compares dotted versions by their first differing part, missing or unreadable parts as 0", () => {
    expect(compareVersions("7.0.3", "7.0.15")).toBeLessThan(0);
    expect(compareVersions("7.0.15", "7.0.3")).toBeGreaterThan(0);
    expect(compareVersions("8.0", "7.9.9")).toBeGreaterThan(0);
    expect(compareVersions("7.2.0", "7.2")).toBe(0);
    expect(compareVersions("7.2", "7.2.1")).toBeLessThan(0);
    expect(compareVersions("7.x.1", "7.0.1")).toBe(0);
    expect(compareVersions("7.2.4", "7.2.4")).toBe(0);
  });

  it("shortens a release line's first version only", () => {
    expect(shortVersion("7.2.0")).toBe("7.2");
    expect(shortVersion("7.2.4")).toBe("7.2.4");
    expect(shortVersion("10.0.0")).toBe("10.0");
    expect(shortVersion("17.2.0.1")).toBe("17.2.0.1");
    expect(shortVersion("v7.2.0")).toBe("v7.2.0");
  });
});

describe("quoted multi-value arguments", () => {
  it("are split by Redis from 7.0.1 on and by every Valkey, and by an unknown server", () => {
    expect(
      ["6.0.16", "6.2.16", "7.0.0", "7.0.1", "7.0.15", "7.2.0", "8.0.2", "10.0.0", "valkey 8.1.1", "Valkey 7.2.4", "unknown"].map((v) => [v, splitsQuotedMultiArg(v)]),
    ).toEqual([
      ["6.0.16", false],
      ["6.2.16", false],
      ["7.0.0", false],
      ["7.0.1", true],
      ["7.0.15", true],
      ["7.2.0", true],
      ["8.0.2", true],
      ["10.0.0", true],
      ["valkey 8.1.1", true],
      ["Valkey 7.2.4", true],
      ["unknown", false],
    ]);
    expect(splitsQuotedMultiArg(undefined)).toBe(true);
  });

  it("apply to the directives config.c flags, aliases included", () => {
    expect([...MULTI_ARG_DIRECTIVES].sort()).toEqual([
      "bind",
      "client-output-buffer-limit",
      "latency-tracking-info-percentiles",
      "oom-score-adj-values",
      "replicaof",
      "save",
      "shutdown-on-sigint",
      "shutdown-on-sigterm",
      "slaveof",
    ]);
  });

  it("split one non-empty argument, nothing else", () => {
    expect(splitMultiArg("bind", ["127.0.0.1 ::1"], splitArgs)).toEqual(["127.0.0.1", "::1"]);
    expect(splitMultiArg("bind", ["127.0.0.1", "::1"], splitArgs)).toEqual(["127.0.0.1", "::1"]);
    expect(splitMultiArg("bind", [], splitArgs)).toEqual([]);
    expect(splitMultiArg("save", [""], splitArgs)).toEqual([""]);
    expect(splitMultiArg("dir", ["/a b"], splitArgs)).toEqual(["/a b"]);
    expect(splitMultiArg("save", ['900 "1'], splitArgs)).toEqual([]);
  });
});

describe("splitArgs and parseConf, edge by edge", () => {
  it.each([
    ["\t save\t900  1 ", ["save", "900", "1"]],
    ['"a\\tb\\rc\\bd\\ae"', ["a\tb\rc\bd\x07e"]],
    ['"\\x4a\\x6B"', ["Jk"]],
    ['"\\xZZ"', ["xZZ"]],
    ['"\\x4"', ["x4"]],
    ['"a\\\\b"', ["a\\b"]],
    ['"\\q"', ["q"]],
    ["'a\\nb'", ["a\\nb"]],
    ["'it\\'s' x", ["it's", "x"]],
    ['"a"\t"b"', ["a", "b"]],
    ["a\x0bb", ["a\x0bb"]],
    ["a\x0cb", ["a\x0cb"]],
    ['"a"', ["a"]],
    ["''", [""]],
    ["   ", []],
  ])("%j", (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each([['"a\\"'], ["'a\\'"], ['"ab'], ["'ab"], ['"a"b'], ["'a'b"]])("rejects %j", (line) => {
    expect(splitArgs(line)).toBeNull();
  });

  it("ends a quoted argument at any whitespace, and skips it between arguments (isspace: \\v and \\f too)", () => {
    expect(splitArgs('"a"\x0bb')).toEqual(["a", "b"]);
    expect(splitArgs("'a'\x0cb")).toEqual(["a", "b"]);
    expect(splitArgs("\x0b\x0ca")).toEqual(["a"]);
  });

  it("trims the whitespace Redis trims around a line, and keeps the trimmed text", () => {
    const parsed = parseConf(" \t appendonly yes \t\r\n\t# comment\n   \n");
    expect(parsed.directives).toEqual([{ line: 1, name: "appendonly", args: ["yes"], text: "appendonly yes" }]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.unsupported).toEqual([]);
  });

  it("keeps the arguments' case and the line's text as written", () => {
    expect(parseConf("RENAME-COMMAND Config MyConfig").directives).toEqual([{ line: 1, name: "rename-command", args: ["Config", "MyConfig"], text: "RENAME-COMMAND Config MyConfig" }]);
  });

  it("names include as unsupported with its line and text, in any case", () => {
    expect(parseConf("appendonly yes\nInclude /etc/redis/a.conf\n").unsupported).toEqual([
      { line: 2, text: "Include /etc/redis/a.conf", message: "`include` pulls in another file the gate cannot see: inline the included directives into this file" },
    ]);
  });
});
