// Kills the mutants that survived the first mutation run of the gate's smaller parts (conf-server-hint,
// unknown-directive, offline-build-choice, fatal-config-error, eviction-hazard, server-version,
// redis-memory): each case pins a behaviour no other unit test looked at. The README names the
// survivors left alone as equivalent.
import { describe, expect, it } from "vitest";
import type { RedisImageSpec } from "../runtime/images.js";
import { confServerHint } from "./conf-server-hint.js";
import { effectiveConf } from "./effective-conf.js";
import { evictionHazard, forkHeadroomHazard } from "./eviction-hazard.js";
import { explainConf } from "./explain-conf.js";
import { parseFatalConfigError } from "./fatal-config-error.js";
import type { BuildCandidate } from "./offline-build-choice.js";
import { chooseBuild } from "./offline-build-choice.js";
import { parseConf } from "./parse-conf.js";
import { parseRedisBytes } from "./redis-memory.js";
import { shortVersion } from "./server-version.js";
import { versionProblem } from "./unknown-directive.js";

const STOCK = "# Redis configuration file example.\n";

describe("confServerHint reads the stock header only as a file's own first lines", () => {
  it("a header after line 10 is not a stock file's", () => {
    const text = `${"# note\n".repeat(11)}${STOCK}locale-collate ""\n`;
    expect(confServerHint(text).writtenFor).toBeUndefined();
  });

  it("a header on line 2, or indented, still is one", () => {
    expect(confServerHint(`\n${STOCK}locale-collate ""\n`).writtenFor).toBe("7.2.0");
    expect(confServerHint(`   ${STOCK}locale-collate ""\n`).writtenFor).toBe("7.2.0");
  });

  it("the header's words after a directive on the same line are not a header", () => {
    const hint = confServerHint('appendonly no # Valkey configuration file example\nlocale-collate ""\n');
    expect(hint.flavor).toBe("redis");
    expect(hint.writtenFor).toBeUndefined();
  });

  it("a plain Redis file carries no flavorReason key at all", () => {
    expect(Object.hasOwn(confServerHint("appendonly yes\n"), "flavorReason")).toBe(false);
  });

  it("of two directives of the same release, the first one listed names it", () => {
    const hint = confServerHint(`${STOCK}locale-collate ""\nset-max-listpack-entries 128\n`);
    expect(hint.writtenForReason).toBe("a stock redis.conf listing `locale-collate` (Redis >= 7.2.0)");
  });

  it("a stock valkey.conf says Valkey in its reason", () => {
    const hint = confServerHint("# Valkey configuration file example.\nlocale-collate \"\"\n");
    expect(hint.writtenForReason).toBe("a stock valkey.conf listing `locale-collate` (Valkey >= 7.2.4)");
  });

  it("a commented-out directive counts, with or without a space after #, but not after a directive", () => {
    expect(confServerHint(`${STOCK}# locale-collate ""\n`).writtenFor).toBe("7.2.0");
    expect(confServerHint(`${STOCK}#locale-collate ""\n`).writtenFor).toBe("7.2.0");
    expect(confServerHint(`${STOCK}appendonly no # locale-collate x\n`).writtenFor).toBeUndefined();
  });
});

const spec = (official: string): RedisImageSpec => ({ official });

describe("versionProblem", () => {
  it("says Valkey for a Valkey too old for a directive", () => {
    expect(versionProblem("availability-zone", { flavor: "valkey", version: "7.2.5" })?.message).toBe(
      "`availability-zone` needs Valkey >= 8.0 (this image is Valkey 7.2.5)",
    );
  });

  it("a directive still known, or dropped after exactly this release, is no problem", () => {
    expect(versionProblem("locale-collate", { flavor: "redis", version: "7.2.4" })).toBeUndefined();
    expect(versionProblem("gopher-enabled", { flavor: "redis", version: "6.2.16" })).toBeUndefined();
    // Patch releases after the last one read still belong to the 6.2 line, which knows it.
    expect(versionProblem("gopher-enabled", { flavor: "redis", version: "6.2.17" })).toBeUndefined();
    expect(versionProblem("gopher-enabled", { flavor: "redis", version: "6.2.20" })).toBeUndefined();
    expect(versionProblem("gopher-enabled", { flavor: "redis", version: "7.0.0" })?.needs).toEqual({ flavor: "redis", version: "6.2", until: true });
  });

  it("suggests only ids that are a release line, and a line whose first releases lack the directive", () => {
    const known = {
      "6.0": spec("redis:6.0"),
      "5.0": spec("redis:5.0"),
      "x6.2": spec("x"),
      "6.2-alpine": spec("y"),
      "10.0": spec("redis:10.0"),
      "6.10": spec("redis:6.10"),
    };
    const pick = versionProblem("ignore-warnings", { flavor: "redis", version: "6.0.5" }, known)?.pick;
    expect(pick).toBe("pick an image of such a version with --image, one of the versions this suite knows: 6.0 (redis:6.0), 10.0 (redis:10.0), 6.10 (redis:6.10)");
  });

  it("the same for Valkey ids", () => {
    const known = { "valkey-8.0": spec("v:8.0"), "my-valkey-8.0": spec("x"), "valkey-8.0-rc": spec("y"), "valkey-10.1": spec("v:10.1"), "valkey-8.10": spec("v:8.10") };
    const pick = versionProblem("availability-zone", { flavor: "valkey", version: "7.2.5" }, known)?.pick;
    expect(pick).toBe("pick an image of such a version with --image, one of the versions this suite knows: valkey-8.0 (v:8.0), valkey-10.1 (v:10.1), valkey-8.10 (v:8.10)");
  });

  it("with no fitting version known, says to pick one by name", () => {
    expect(versionProblem("locale-collate", { flavor: "redis", version: "7.0.15" }, {})?.pick).toBe("pick an image of such a version with --image <name>");
  });
});

const build = (id: string, version: string): BuildCandidate => ({ id, server: { flavor: "redis", version } });

describe("chooseBuild", () => {
  it("a full version's line is its major.minor: 7.0.16 is the build of the line of 7.0.15", () => {
    const choice = chooseBuild({ flavor: "redis", version: "7.0.15", directives: [] }, [build("7.0", "7.0.16"), build("8.0", "8.0.2")]);
    expect(choice?.kind).toBe("same-line");
    expect(choice?.build.id).toBe("7.0");
  });

  it("with no version wanted, names no missing version", () => {
    const choice = chooseBuild({ flavor: "redis", directives: ["locale-collate"] }, [build("8.0", "8.0.2"), build("7.0", "7.0.15")]);
    expect(choice?.why).toBe("the nearest build that knows every directive the config uses (Redis 8.0.2)");
  });
});

describe("parseFatalConfigError", () => {
  it("a log without the block has no error", () => {
    expect(parseFatalConfigError("1:M 01 Jan 00:00:00.000 * Ready to accept connections\n")).toBeUndefined();
  });

  it("the message is the block's own lines after its header, blank ones dropped", () => {
    const log = ["1:M 01 Jan * starting", "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***", "Reading the configuration file, at line 3", ">>> 'savee 900 1'", "Bad directive", "   ", "", "or wrong number of arguments"].join("\n");
    expect(parseFatalConfigError(log)).toEqual({ line: 3, text: "savee 900 1", message: "Bad directive or wrong number of arguments" });
  });

  it("strips only quotes around the whole text", () => {
    expect(parseFatalConfigError("*** FATAL CONFIG FILE ERROR ***\n>>> x 'a'\nBad")?.text).toBe("x 'a'");
  });
});

describe("eviction and fork-headroom hazards", () => {
  const confOf = (text: string) => effectiveConf(parseConf(text));

  it("a hazard from defaults carries no line key", () => {
    const conf = confOf("appendonly yes\n");
    const fork = forkHeadroomHazard(conf, explainConf(conf), { bytes: 1024 ** 3, text: "1g" });
    expect(fork).toBeDefined();
    expect(Object.hasOwn(fork ?? {}, "line")).toBe(false);
  });

  it("with no maxmemory it says so, and the fix is half the limit", () => {
    const conf = confOf("appendonly yes\n");
    const fork = forkHeadroomHazard(conf, explainConf(conf), { bytes: 1024 ** 3, text: "1g" });
    expect(fork?.message).toMatch(/^no `maxmemory` bounds the dataset below half of the container's memory limit 1 GiB \(1g\)/);
    expect(fork?.fix).toBe("set `maxmemory` to at most half the limit (512 MiB), or raise the limit");
  });

  it("an eviction hazard of a policy left at its line carries that line, and none without one", () => {
    expect(evictionHazard(confOf("maxmemory 1gb\nmaxmemory-policy allkeys-lru\n"))?.line).toBe(2);
    // Settings read from no line of a file (a deployment's command line, say) carry none.
    const noLines = { ...confOf(""), maxmemory: { value: 1024 ** 3 }, maxmemoryPolicy: { value: "allkeys-lru" } };
    const hazard = evictionHazard(noLines);
    expect(hazard?.id).toBe("maxmemory-evicts-any-key");
    expect(Object.hasOwn(hazard ?? {}, "line")).toBe(false);
  });
});

describe("small readers", () => {
  it("shortVersion shortens a two-digit minor's first release too", () => {
    expect(shortVersion("7.10.0")).toBe("7.10");
    expect(shortVersion("7.2.1")).toBe("7.2.1");
  });

  it("parseRedisBytes refuses a size with spaces around it, as memtoull does (no whitespace skipped)", () => {
    expect(parseRedisBytes(" 1gb ")).toBeUndefined();
    expect(parseRedisBytes("1gb")).toBe(1024 ** 3);
  });
});
