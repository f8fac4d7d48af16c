import { describe, expect, it } from "vitest";
import { cellKey, parseShard } from "./shard.js";

describe("parseShard", () => {
  it.each([
    ["1/1", { index: 1, of: 1 }],
    ["2/3", { index: 2, of: 3 }],
    [" 3/3 ", { index: 3, of: 3 }],
  ])("reads %s", (text, shard) => expect(parseShard("--shard", text)).toEqual(shard));

  it.each(["0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", "1.5/2", ""])("refuses %s, saying what it takes", (text) => {
    expect(() => parseShard("--shard", text)).toThrow(/--shard ".*" is not a shard: give K\/N with 1 <= K <= N/);
  });
});

describe("cellKey", () => {
  it("keeps names with slashes, colons and spaces apart", () => {
    expect(cellKey({ version: "redis:7/x", mode: "a", fault: "b" })).not.toBe(cellKey({ version: "redis:7", mode: "x/a", fault: "b" }));
  });
});
