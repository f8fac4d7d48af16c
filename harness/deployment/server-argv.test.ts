import { describe, expect, it } from "vitest";
import { parsesLikeModernMain, readServerArgv, sdscatrepr } from "./server-argv.js";

const lines = (argv: string[], version?: string) => readServerArgv(argv, version).options.map((o) => o.text);

// Expected option lines follow redis/redis src/server.c main() ("Parse command line options").
describe("readServerArgv (redis-server's main())", () => {
  it("takes the first argument as the config file only when it does not start with -", () => {
    expect(readServerArgv(["redis-server", "/etc/redis.conf", "--port", "1"]).configFile).toEqual({ path: "/etc/redis.conf", index: 1 });
    expect(readServerArgv(["redis-server", "--port", "1", "/etc/redis.conf"]).configFile).toBeUndefined();
  });

  it("starts a line at every --name and quotes each value as sdscatrepr does", () => {
    expect(lines(["redis-server", "--appendonly", "yes", "--save", "60", "1", "--save", "300", "10"])).toEqual(['appendonly "yes"', 'save "60" "1"', 'save "300" "10"']);
  });

  it('keeps `--save ""` as an empty argument, and gives a bare --save before a flag or at the end an empty one (7.0.1+)', () => {
    expect(lines(["redis-server", "--save", "", "--appendonly", "no"])).toEqual(['save ""', 'appendonly "no"']);
    expect(lines(["redis-server", "--save", "--appendonly", "no"])).toEqual(['save ""', 'appendonly "no"']);
    expect(lines(["redis-server", "--appendonly", "no", "--save"])).toEqual(['appendonly "no"', 'save ""']);
  });

  it("since 7.0.1 a bare --name takes the next word even when it starts with --; before, every -- word is a flag", () => {
    expect(lines(["redis-server", "--requirepass", "--secret"], "7.2.4")).toEqual(['requirepass "--secret"']);
    expect(lines(["redis-server", "--requirepass", "--secret"], "6.2.16")).toEqual(["requirepass", "secret"]);
  });

  it("takes `--port 6380` written as one argv word as name and value", () => {
    expect(lines(["redis-server", "--port 6380", "--appendonly", "yes"])).toEqual(["port 6380", 'appendonly "yes"']);
  });

  it("says when a .conf path follows a flag's value: it is another argument of that flag", () => {
    const read = readServerArgv(["redis-server", "--appendonly", "yes", "/etc/redis.conf"]);
    expect(read.options[0]?.text).toBe('appendonly "yes" "/etc/redis.conf"');
    expect(read.findings.map((f) => f.id)).toEqual(["config-file-after-flag"]);
    expect(readServerArgv(["redis-server", "--include", "/etc/extra.conf"]).findings).toEqual([]);
  });

  it("says when an argument follows no flag", () => {
    const read = readServerArgv(["redis-server", "/etc/redis.conf", "oops"]);
    expect(read.findings.map((f) => f.id)).toEqual(["argument-before-flags"]);
    expect(read.options[0]?.text).toBe('"oops"');
  });

  it("reads `-` as config from stdin and refuses --version", () => {
    expect(readServerArgv(["redis-server", "-"]).stdin).toBe(true);
    expect(() => readServerArgv(["redis-server", "--version"])).toThrow(/does not start a server/);
  });

  it("keeps each option's argv words for display", () => {
    expect(readServerArgv(["redis-server", "--save", "", "--dir", "/data"]).options.map((o) => [o.index, o.words])).toEqual([
      [1, ["--save", ""]],
      [3, ["--dir", "/data"]],
    ]);
  });
});

describe("parsesLikeModernMain", () => {
  it.each([
    ["7.0.0", false],
    ["7.0.1", true],
    ["6.999.999", false],
    ["8.0.2", true],
    ["valkey 8.1.1", true],
    [undefined, true],
  ])("%s -> %s", (version, modern) => {
    expect(parsesLikeModernMain(version)).toBe(modern);
  });
});

describe("sdscatrepr", () => {
  it.each([
    ["yes", '"yes"'],
    ["", '""'],
    ['a "b"\\', '"a \\"b\\"\\\\"'],
    ["x\ny\t\x01", '"x\\ny\\t\\x01"'],
  ])("%j -> %s", (input, output) => {
    expect(sdscatrepr(input)).toBe(output);
  });
});
