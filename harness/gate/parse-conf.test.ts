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

describe("a quoted multi-value argument (config.c: MULTI_ARG_CONFIG, split again since Redis 7.0.1)", () => {
  // Lines of the stock redis.conf (redis/redis redis.conf at 6.0.20, 7.0.15, 7.2.6; commented ones uncommented).
  const stock = [
    "save 900 1",
    "save 3600 1 300 100 60 10000",
    "bind 127.0.0.1 -::1",
    "bind 192.168.1.100 10.0.0.1",
    "client-output-buffer-limit replica 256mb 64mb 60",
    "oom-score-adj-values 0 200 800",
    "latency-tracking-info-percentiles 50 99 99.9",
    "replicaof 10.0.0.1 6379",
    "shutdown-on-sigterm default",
  ];
  it.each(stock)("%j quoted reads as written", (line) => {
    const [name, ...rest] = line.split(" ");
    const quoted = `${name} "${rest.join(" ")}"`;
    expect(parseConf(quoted).directives[0]?.args).toEqual(parseConf(line).directives[0]?.args);
  });

  it("splits only the multi-value directives, only a single non-empty argument", () => {
    expect(parseConf('requirepass "a b"').directives[0]?.args).toEqual(["a b"]);
    expect(parseConf('save ""').directives[0]?.args).toEqual([""]);
    expect(parseConf('save "900 1" "300 10"').directives[0]?.args).toEqual(["900 1", "300 10"]);
    expect(parseConf('slaveof "10.0.0.1 6379"').directives[0]?.args).toEqual(["10.0.0.1", "6379"]);
    expect(parseConf('SAVE "900 1"').directives[0]?.args).toEqual(["900", "1"]);
  });

  it("splits the argument with the quoting rules again; unbalanced quotes inside give no argument, as sdssplitargs' NULL does", () => {
    expect(parseConf(`save '900 "1"'`).directives[0]?.args).toEqual(["900", "1"]);
    expect(parseConf(`save '900 "1'`).directives[0]?.args).toEqual([]);
  });

  it("keeps the argument whole for a server that does not split (6.x, 7.0.0)", () => {
    expect(parseConf('save "900 1"', "6.2.16").directives[0]?.args).toEqual(["900 1"]);
    expect(parseConf('save "900 1"', "7.0.0").directives[0]?.args).toEqual(["900 1"]);
    expect(parseConf('save "900 1"', "7.0.1").directives[0]?.args).toEqual(["900", "1"]);
    expect(parseConf('save "900 1"', "valkey 8.1.1").directives[0]?.args).toEqual(["900", "1"]);
  });
});
