import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { DEFAULT_ACK_POLICIES, WAITAOF_TIMEOUT_MS, needsWaitaof, writeUnder } from "./ack-policy.js";

// A stand-in for the connection: records what is sent, answers WAITAOF / WAIT as told. Pure logic only.
function fakeRedis(answer: unknown): { redis: Redis; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const reply = async (): Promise<unknown> => {
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const redis = {
    set: async (...args: unknown[]) => {
      sent.push(["SET", ...args]);
      return "OK";
    },
    call: async (...args: unknown[]) => {
      sent.push(args);
      return reply();
    },
    wait: async (...args: unknown[]) => {
      sent.push(["WAIT", ...args]);
      return reply();
    },
  } as unknown as Redis;
  return { redis, sent };
}

describe("ack policies", () => {
  it("waitaof-1-1 sends SET, then WAITAOF 1 1 with its timeout on the same connection", async () => {
    const { redis, sent } = fakeRedis([1, 1]);
    await expect(writeUnder("waitaof-1-1")(redis, "k", "v")).resolves.toBeUndefined();
    expect(sent).toEqual([
      ["SET", "k", "v"],
      ["WAITAOF", "1", "1", String(WAITAOF_TIMEOUT_MS)],
    ]);
  });

  it.each([
    ["no replica fsync", [1, 0]],
    ["no local fsync", [0, 1]],
    ["neither", [0, 0]],
    ["no reply", null],
    ["a status reply", "OK"],
    ["one count", [1]],
  ])("waitaof-1-1 leaves the write unknown (info) on %s", async (_what, answer) => {
    const { redis } = fakeRedis(answer);
    await expect(writeUnder("waitaof-1-1")(redis, "k", "v")).resolves.toMatch(/^applied by the primary, but WAITAOF 1 1/);
  });

  it("a WAITAOF error is rethrown as a plain Error (recorded as unknown, never as refused)", async () => {
    const { redis } = fakeRedis(new Error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled."));
    await expect(writeUnder("waitaof-1-1")(redis, "k", "v")).rejects.toThrow(/applied by the primary, then WAITAOF failed: ERR WAITAOF/);
  });

  it("wait-1 counts one replica and leaves zero unknown", async () => {
    await expect(writeUnder("wait-1")(fakeRedis(1).redis, "k", "v")).resolves.toBeUndefined();
    await expect(writeUnder("wait-1")(fakeRedis(0).redis, "k", "v")).resolves.toMatch(/reported 0 replicas/);
  });

  it("only waitaof needs WAITAOF, and it is not a default", () => {
    expect(needsWaitaof("waitaof-1-1")).toBe(true);
    expect(needsWaitaof("wait-1")).toBe(false);
    expect(DEFAULT_ACK_POLICIES).toEqual(["reply", "wait-1"]);
  });
});
