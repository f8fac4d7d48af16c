import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { offlineCandidates } from "../cli/gate-image.js";
import { confServerHint } from "./conf-server-hint.js";
import type { BuildCandidate } from "./offline-build-choice.js";
import { chooseBuild } from "./offline-build-choice.js";

// The offline builds as recorded in harness/runtime/versions.ts (measured with `<server> --version`).
const BUILDS: BuildCandidate[] = [
  { id: "6.0", server: { flavor: "redis", version: "6.0.16" } },
  { id: "7.0", server: { flavor: "redis", version: "7.0.15" } },
  { id: "8.0", server: { flavor: "redis", version: "8.0.2" } },
  { id: "valkey-8.1", server: { flavor: "valkey", version: "8.1.1" } },
];
const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const idOf = (...args: Parameters<typeof chooseBuild>): string | undefined => chooseBuild(...args)?.build.id;

describe("chooseBuild: the offline build a deployment runs on", () => {
  it("knows the offline builds of VERSIONS with their recorded versions", () => {
    expect(offlineCandidates()).toEqual(BUILDS);
  });

  it("picks the build of the same server and major.minor", () => {
    expect(chooseBuild({ flavor: "redis", version: "6.0", directives: ["appendonly"] }, BUILDS)).toEqual({
      build: BUILDS[0],
      kind: "same-line",
      why: "the build of the same release line (Redis 6.0.16)",
    });
    expect(idOf({ flavor: "redis", version: "7.0.12", directives: [] }, BUILDS)).toBe("7.0");
    // "redis:7" is 7.4 (the 7 line has ended), of which there is no build here: newer first.
    expect(chooseBuild({ flavor: "redis", version: "7", directives: [] }, BUILDS)?.why).toBe("the nearest build that knows every directive the config uses (Redis 8.0.2; no build of Redis 7.4 here)");
    expect(idOf({ flavor: "redis", version: "6", directives: ["gopher-enabled"] }, BUILDS)).toBe("6.0");
    expect(chooseBuild({ flavor: "redis", version: "6", directives: [] }, BUILDS)?.why).toContain("no build of Redis 6.2 here");
    // "redis:8" follows 8.x releases still to come: the 8.0 build, said to be possibly older.
    expect(chooseBuild({ flavor: "redis", version: "8", directives: [] }, BUILDS)?.why).toBe(
      "the build of the same release line (Redis 8.0.2; the tag `8` follows the newest 8.x release, which may be newer than this build)",
    );
    expect(idOf({ flavor: "redis", version: "8.0", directives: ["locale-collate"] }, BUILDS)).toBe("8.0");
  });

  it("skips a build that does not know a directive the config uses, saying which", () => {
    const choice = chooseBuild({ flavor: "redis", version: "7.0", directives: ["appendonly", "locale-collate"] }, BUILDS);
    expect(choice).toEqual({
      build: BUILDS[2],
      kind: "nearest",
      why: "the nearest build that knows every directive the config uses (Redis 8.0.2; Redis 7.0.15 does not know `locale-collate`)",
    });
  });

  it("without a build of that line, takes the nearest newer one that knows every directive, then the nearest older", () => {
    expect(chooseBuild({ flavor: "redis", version: "7.2", directives: ["locale-collate"] }, BUILDS)?.why).toBe(
      "the nearest build that knows every directive the config uses (Redis 8.0.2; no build of Redis 7.2 here)",
    );
    // 6.2 keeps its default save points beside a config file, as 7.0 does and 6.0 does not: newer first.
    expect(idOf({ flavor: "redis", version: "6.2", directives: ["appendonly"] }, BUILDS)).toBe("7.0");
    expect(idOf({ flavor: "redis", version: "7.4", directives: [] }, BUILDS)).toBe("8.0");
    expect(idOf({ flavor: "redis", version: "9.0", directives: [] }, BUILDS)).toBe("8.0");
    expect(idOf({ flavor: "redis", version: "5.0", directives: [] }, BUILDS)).toBe("6.0");
    // `gopher-enabled` was dropped after 6.2: only the older build knows it.
    expect(idOf({ flavor: "redis", version: "6.2", directives: ["gopher-enabled"] }, BUILDS)).toBe("6.0");
  });

  it("keeps to the server: Valkey runs on the Valkey build", () => {
    expect(chooseBuild({ flavor: "valkey", version: "8.0", directives: ["dual-channel-replication-enabled"] }, BUILDS)).toEqual({
      build: BUILDS[3],
      kind: "nearest",
      why: "the nearest build that knows every directive the config uses (Valkey 8.1.1; no build of Valkey 8.0 here)",
    });
    expect(idOf({ flavor: "valkey", directives: [] }, BUILDS.slice(0, 3))).toBeUndefined();
  });

  it("with no version wanted, takes the newest build that knows every directive", () => {
    expect(idOf({ flavor: "redis", directives: [] }, BUILDS)).toBe("8.0");
    expect(idOf({ flavor: "redis", directives: ["gopher-enabled"] }, BUILDS)).toBe("6.0");
  });

  it("when no build knows every directive, names the nearest and what each lacks", () => {
    expect(chooseBuild({ flavor: "redis", version: "7.0", directives: ["primaryauth"] }, BUILDS)).toEqual({
      build: BUILDS[1],
      kind: "none-knows-all",
      why: "the nearest build (Redis 7.0.15), though none here knows every directive the config uses (Redis 7.0.15 does not know `primaryauth`; Redis 8.0.2 does not know `primaryauth`; Redis 6.0.16 does not know `primaryauth`)",
    });
  });
});

describe("confServerHint and chooseBuild on the stock configs", () => {
  // No version named: a stock file's own release, else the session's build (7.0.15 here).
  const run = (name: string) => {
    const hint = confServerHint(fixture(name));
    const version = hint.writtenFor?.split(".").slice(0, 2).join(".") ?? (hint.flavor === "redis" ? "7.0.15" : undefined);
    return { hint, id: idOf({ flavor: hint.flavor, ...(version !== undefined ? { version } : {}), directives: hint.directives }, BUILDS) };
  };

  it.each([
    ["redis-6.0-stock.conf", "redis", "6.0.10", "6.0"],
    ["redis-6.2-stock.conf", "redis", undefined, "7.0"],
    ["redis-7.2-stock.conf", "redis", undefined, "8.0"],
    ["redis-8.0-stock.conf", "redis", "7.4.0", "8.0"],
    ["valkey-8.0-stock.conf", "valkey", undefined, "valkey-8.1"],
  ])("%s: %s, written for %s at the earliest, runs on the %s build", (name, flavor, writtenFor, id) => {
    const { hint, id: chosen } = run(name);
    expect(hint.flavor).toBe(flavor);
    expect(hint.writtenFor).toBe(writtenFor);
    expect(chosen).toBe(id);
  });

  it("reads Valkey from a Valkey-only directive, or from valkey.conf's first line", () => {
    expect(confServerHint(fixture("valkey-8.0-stock.conf"))).toMatchObject({ flavor: "valkey", flavorReason: "line 31 uses `dual-channel-replication-enabled`, which only Valkey knows" });
    expect(confServerHint("# Valkey configuration file example.\nappendonly yes\n")).toMatchObject({ flavor: "valkey", flavorReason: "its first line is valkey.conf's" });
    expect(confServerHint("appendonly yes\nlocale-collate \"\"\n")).toEqual({ flavor: "redis", directives: ["appendonly", "locale-collate"] });
  });

  it("takes a stock file's release from the newest directive it lists, commented out or not", () => {
    expect(confServerHint(fixture("redis-6.0-stock.conf"))).toMatchObject({ writtenFor: "6.0.10", writtenForReason: "a stock redis.conf listing `ignore-warnings` (Redis >= 6.0.10)" });
    expect(confServerHint("# Redis configuration file example.\n# shutdown-timeout 10\nappendonly yes\n").writtenFor).toBe("7.0.0");
    // A file of one's own (no stock first line) says nothing by its comments.
    expect(confServerHint("# mine\n# shutdown-timeout 10\nappendonly yes\n").writtenFor).toBeUndefined();
    expect(confServerHint("# Redis configuration file example.\n# constructor x\n# __proto__ y\nappendonly yes\n").writtenFor).toBeUndefined();
  });
});
