import { describe, expect, it } from "vitest";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
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
