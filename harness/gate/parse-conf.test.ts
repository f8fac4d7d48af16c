import { describe, expect, it } from "vitest";
import { parseConf, splitArgs } from "./parse-conf.js";

describe("splitArgs (redis.conf quoting, as sdssplitargs)", () => {
  it.each([
    ["save 900 1", ["save", "900", "1"]],
    ['save ""', ["save", ""]],
    ["  appendfsync\talways  ", ["appendfsync", "always"]],
    ['requirepass "a b\\"c"', ["requirepass", 'a b"c']],
    ['logfile "\\x41\\n"', ["logfile", "A\n"]],
    ["rename-command CONFIG 'x\\'y'", ["rename-command", "CONFIG", "x'y"]],
    ["rename-command SAVE ''", ["rename-command", "SAVE", ""]],
    ['dir "/data"', ["dir", "/data"]],
    ['dir /da"ta x"', ["dir", "/data x"]],
    ["", []],
  ])("%j", (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
  });

  it.each([['dir "/data'], ["dir '/data"], ['dir "/data"x'], ["dir '/data'x"]])("rejects %j", (line) => {
    expect(splitArgs(line)).toBeNull();
  });
});

describe("parseConf", () => {
  const conf = [
    "# a comment",
    "",
    "Save 900 1",
    "  # an indented comment",
    "appendonly yes # not a comment: Redis sees three arguments",
    'requirepass "unbalanced',
    "include /etc/redis/common.conf",
  ].join("\n");
  const parsed = parseConf(conf);

  it("keeps line numbers and lower-cases directive names", () => {
    expect(parsed.directives.map((d) => [d.line, d.name, d.args])).toEqual([
      [3, "save", ["900", "1"]],
      [5, "appendonly", ["yes", "#", "not", "a", "comment:", "Redis", "sees", "three", "arguments"]],
      [7, "include", ["/etc/redis/common.conf"]],
    ]);
  });

  it("reports unbalanced quotes with the line, as Redis does", () => {
    expect(parsed.errors).toEqual([{ line: 6, text: 'requirepass "unbalanced', message: "Unbalanced quotes in configuration line" }]);
  });

  it("flags include as unsupported", () => {
    expect(parsed.unsupported.map((p) => p.line)).toEqual([7]);
    expect(parsed.unsupported[0]?.message).toMatch(/inline/);
  });

  it("handles CRLF line endings", () => {
    expect(parseConf("save 60 1\r\nappendonly yes\r\n").directives.map((d) => d.args)).toEqual([["60", "1"], ["yes"]]);
  });
});
