import { describe, expect, it } from "vitest";
import { dropsDefaultSavePoints, effectiveConf, onePairPerSaveLine } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import { readGateSettings } from "./gate-settings.js";
import { findHazards } from "./hazards.js";
import { parseConf } from "./parse-conf.js";

const read = (text: string, version?: string) => {
  const conf = effectiveConf(parseConf(text, version));
  return { conf, explanation: explainConf(conf) };
};

describe("effectiveConf on quoted multi-value arguments (checked on the 7.0.15 image with CONFIG GET)", () => {
  it('reads save "900 1" as a save point, not persistence off', () => {
    const { conf, explanation } = read('save "900 1"\nsave "300 10 60 10000"\nappendonly no\n');
    expect(conf.savePoints.map((p) => [p.seconds, p.changes])).toEqual([
      [900, 1],
      [300, 10],
      [60, 10000],
    ]);
    expect(explanation.mode).toBe("rdb");
  });

  it('reads save "900 1" as Redis 6 does: a save line with no pair clears the defaults', () => {
    expect(read('save "900 1"\nappendonly no\n', "6.2.16").explanation.mode).toBe("none");
  });

  it('sees every address of bind "127.0.0.1 0.0.0.0", so an open server is flagged', () => {
    const { conf, explanation } = read('save ""\nappendonly yes\nprotected-mode no\nbind "127.0.0.1 0.0.0.0"\n');
    expect(conf.bind.value).toEqual(["127.0.0.1", "0.0.0.0"]);
    expect(findHazards(conf, explanation).map((h) => h.id)).toEqual(["open-without-password"]);
  });

  it("reads every flag of shutdown-on-sigterm, quoted or not", () => {
    expect(read("shutdown-on-sigterm now nosave\n").conf.shutdownOnSigterm.value).toBe("now nosave");
    expect(read('shutdown-on-sigterm "now nosave"\n').conf.shutdownOnSigterm.value).toBe("now nosave");
    expect(findHazards(read("save 900 1\nshutdown-on-sigterm now nosave\n").conf, read("save 900 1\n").explanation).map((h) => h.id)).toContain("shutdown-on-sigterm-nosave");
  });
});

describe("several dir lines", () => {
  it("follow Redis's chdir: a relative dir lands where the one before it went", async () => {
    const { effectiveConf } = await import("./effective-conf.js");
    const { parseConf } = await import("./parse-conf.js");
    const { isVolumeDir } = await import("./hazards.js");
    const conf = effectiveConf(parseConf("dir /tmp\ndir .\nappendonly yes\n"));
    expect(conf.dir.value).toBe("/tmp");
    expect(isVolumeDir(conf.dir.value)).toBe(false);
    expect(effectiveConf(parseConf("dir /data\ndir redis\n")).dir.value).toBe("/data/redis");
    expect(effectiveConf(parseConf("dir ./\n")).dir.value).toBe("./");
  });
});

describe("save points by server version", () => {
  it("Redis before 6.2 drops the built-in save points once a config file is given: no save line means none", () => {
    // Found by review: judged with 7's defaults, a 6.0 config that keeps nothing read as rdb and could pass.
    const fold = effectiveConf;
    expect(dropsDefaultSavePoints("redis", "6.0.16")).toBe(true);
    expect(dropsDefaultSavePoints("redis", "5.0.14")).toBe(true);
    expect(dropsDefaultSavePoints("redis", "6.2.0")).toBe(false);
    expect(dropsDefaultSavePoints("redis", "7.0.15")).toBe(false);
    expect(dropsDefaultSavePoints("valkey", "7.2.4")).toBe(false);
    const text = "appendonly no\ndir /data\nmaxmemory 100mb\n";
    const on60 = fold(parseConf(text), { dropsDefaultSavePoints: true });
    expect(on60.savePoints).toEqual([]);
    expect(explainConf(on60).mode).toBe("none");
    expect(explainConf(fold(parseConf(text))).mode).toBe("rdb");
    // A save line still counts on 6.0.
    expect(fold(parseConf(`${text}save 900 1\n`), { dropsDefaultSavePoints: true }).savePoints.map((p) => [p.seconds, p.changes])).toEqual([[900, 1]]);
  });

  it("Redis before 7.0 skips a save line that is not one pair: `save 900 1 300 10` keeps nothing (measured on 6.0.16: CONFIG GET save is empty)", () => {
    // Found by review: read as two save points on 6.x, the config was rdb with a 901 s bound and no hazard; Redis 6 keeps no snapshot at all.
    const fold = effectiveConf;
    expect(onePairPerSaveLine("redis", "6.2.14")).toBe(true);
    expect(onePairPerSaveLine("redis", "6.0.16")).toBe(true);
    expect(onePairPerSaveLine("redis", "7.0.0")).toBe(false);
    expect(onePairPerSaveLine("valkey", "7.2.4")).toBe(false);
    const on6 = (text: string) => fold(parseConf(text, "6.2.14"), { onePairPerSaveLine: true });
    for (const text of ["save 900 1 300 10\nappendonly no\n", "save 900 1 # hourly\nappendonly no\n", 'save "60" "1" "300" "10"\nappendonly no\n', 'save "900 1"\n']) {
      expect(on6(text).savePoints, text).toEqual([]);
      expect(on6(text).ignoredSaveLines, text).toEqual([1]);
      const explanation = explainConf(on6(text));
      expect(explanation.mode, text).toBe("none");
      expect(findHazards(on6(text), explanation).map((h) => [h.id, h.line]), text).toEqual([
        ["persistence-off", 1],
        ["save-line-ignored", 1],
      ]);
    }
    // One pair per line, and `save ""`, still count; a skipped line beside a good one leaves the good one.
    expect(on6("save 900 1\nsave 300 10 60 10000\n").savePoints.map((p) => [p.seconds, p.changes])).toEqual([[900, 1]]);
    expect(on6('save 900 1\nsave ""\n').savePoints).toEqual([]);
    expect(on6('save ""\n').ignoredSaveLines).toEqual([]);
    // Through the reader the gate and the matrix use: the server's version decides (found by review: the wiring was untested).
    const points = (version: string) => readGateSettings("save 900 1 300 10\nappendonly no\n", "redis.conf", { flavor: "redis", version }).conf.savePoints.map((p) => [p.seconds, p.changes]);
    expect(points("6.2.14")).toEqual([]);
    expect(points("6.0.16")).toEqual([]);
    expect(points("7.0.15")).toEqual([[900, 1], [300, 10]]);
    expect(readGateSettings("save 900 1 300 10\n", "redis.conf", { flavor: "redis", version: "6.2.14" }).explanation.mode).toBe("none");
  });
});
