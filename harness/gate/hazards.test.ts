import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODES } from "../../configs/modes.js";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import { findHazards, graceHazard } from "./hazards.js";
import { parseConf } from "./parse-conf.js";

const read = (text: string) => {
  const conf = effectiveConf(parseConf(text));
  return { conf, explanation: explainConf(conf) };
};
const hazardsOf = (text: string) => {
  const { conf, explanation } = read(text);
  return findHazards(conf, explanation).map((h) => [h.id, h.line]);
};

describe("explainConf", () => {
  it.each(Object.values(MODES).map((spec) => [spec.mode, spec.configFile]))("recognizes the shipped %s config", (mode, file) => {
    expect(read(readFileSync(file, "utf8")).explanation.mode).toBe(mode);
  });

  it("applies Redis's default save points when no save line is given", () => {
    const { conf, explanation } = read("appendonly no\n");
    expect(conf.savePoints.map((p) => p.seconds)).toEqual([3600, 300, 60]);
    expect(explanation.mode).toBe("rdb");
    expect(explanation.processCrash.maxMs).toBe(3_601_000);
  });

  it("lets the first save line replace the defaults and later ones add", () => {
    expect(read("save 900 1\nsave 60 10000\n").conf.savePoints.map((p) => [p.seconds, p.line])).toEqual([
      [900, 1],
      [60, 2],
    ]);
    expect(read('save 900 1\nsave ""\n').explanation.mode).toBe("none");
  });

  it("calls a snapshot timer that needs many changes unbounded", () => {
    expect(read("save 60 1000\n").explanation.processCrash.maxMs).toBeNull();
  });

  it("states what a stop Redis completes loses: nothing, but with persistence off or nosave snapshots", () => {
    expect(read('save ""\nappendonly yes\nappendfsync no\n').explanation.cleanStop.maxMs).toBe(0);
    expect(read("save 900 1\n").explanation.cleanStop.maxMs).toBe(0);
    expect(read("save 900 1\nshutdown-on-sigterm nosave\n").explanation.cleanStop.maxMs).toBe(901_000);
    expect(read('save ""\nappendonly no\n').explanation.cleanStop.maxMs).toBeNull();
  });

  it("states everysec's 2 s and aof-no's power-loss bound", () => {
    expect(read('save ""\nappendonly yes\n').explanation).toMatchObject({ mode: "aof-everysec", processCrash: { maxMs: 2000 } });
    expect(read('save ""\nappendonly yes\nappendfsync no\n').explanation).toMatchObject({ processCrash: { maxMs: 0 }, powerLoss: { maxMs: 30_000 } });
  });
});

describe("findHazards", () => {
  it("flags persistence off at its line", () => {
    expect(hazardsOf('save ""\nappendonly no\ndir /data\nbind 127.0.0.1\n')).toEqual([["persistence-off", 1]]);
  });

  it("flags every durability hazard with its line", () => {
    const conf = [
      "save 900 1",
      "appendonly yes",
      "appendfsync no",
      "dir /var/lib/redis",
      "stop-writes-on-bgsave-error no",
      "aof-load-truncated no",
      'rename-command BGSAVE ""',
      "rename-command SHUTDOWN SHUTDOWN_9f2",
      "rename-command CONFIG CONFIG_x",
      "shutdown-on-sigterm nosave",
      "no-appendfsync-on-rewrite yes",
      "bind 127.0.0.1",
    ].join("\n");
    expect(hazardsOf(conf)).toEqual([
      ["appendfsync-no", 3],
      ["dir-not-on-volume", 4],
      ["stop-writes-on-bgsave-error-no", 5],
      ["aof-load-truncated-no", 6],
      ["no-appendfsync-on-rewrite", 11],
      ["shutdown-on-sigterm-nosave", 10],
      ["persistence-command-renamed", 7],
      ["persistence-command-renamed", 8],
    ]);
  });

  it("accepts a relative dir: it resolves against the image's working directory, the volume", () => {
    expect(hazardsOf("appendonly yes\ndir ./\nbind 127.0.0.1\n")).toEqual([]);
  });

  it("warns about an open server only when nothing protects it", () => {
    const open = 'save ""\nappendonly yes\nprotected-mode no\nbind 0.0.0.0\n';
    expect(hazardsOf(open)).toEqual([["open-without-password", 3]]);
    expect(hazardsOf(`${open}requirepass s3cret\n`)).toEqual([]);
    expect(hazardsOf(`${open}user app on >pw ~* +@all\n`)).toEqual([]);
    expect(hazardsOf('save ""\nappendonly yes\nprotected-mode no\nbind 127.0.0.1 -::1\n')).toEqual([]);
  });
});

describe("maxmemory with an evicting policy", () => {
  const base = 'save ""\nappendonly yes\nappendfsync always\ndir /data\nbind 127.0.0.1\n';
  const hazard = (extra: string) => {
    const { conf, explanation } = read(base + extra);
    return findHazards(conf, explanation).filter((h) => h.id.startsWith("maxmemory-"));
  };

  it("is a danger that fails the gate for allkeys-*: any key, acknowledged writes included, is evicted", () => {
    for (const policy of ["allkeys-lru", "allkeys-lfu", "allkeys-random"]) {
      expect(hazard(`maxmemory 1gb\nmaxmemory-policy ${policy}\n`)).toEqual([expect.objectContaining({ id: "maxmemory-evicts-any-key", severity: "danger", failsGate: true, line: 7 })]);
    }
    expect(hazard("maxmemory 1gb\nmaxmemory-policy allkeys-lru\n")[0]?.message).toMatch(/^`maxmemory 1 GiB` with `maxmemory-policy allkeys-lru`: .*acknowledged writes included/);
  });

  it("is a warning for volatile-*, which evicts only keys with a TTL", () => {
    for (const policy of ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"]) {
      expect(hazard(`maxmemory 100mb\nmaxmemory-policy ${policy}\n`)).toEqual([expect.objectContaining({ id: "maxmemory-evicts-ttl-keys", severity: "warning", failsGate: false })]);
    }
    expect(hazard("maxmemory 100mb\nmaxmemory-policy volatile-lru\n")[0]?.message).toMatch(/keys that have a TTL/);
  });

  it("is absent for noeviction (Redis's default policy) and for maxmemory 0 (the default: no limit)", () => {
    expect(hazard("maxmemory 1gb\n")).toEqual([]);
    expect(hazard("maxmemory 1gb\nmaxmemory-policy noeviction\n")).toEqual([]);
    expect(hazard("maxmemory-policy allkeys-lru\n")).toEqual([]);
    expect(hazard("maxmemory 0\nmaxmemory-policy allkeys-lru\n")).toEqual([]);
  });

  it("reads the policy in any case", () => {
    expect(hazard("maxmemory 1gb\nmaxmemory-policy ALLKEYS-LRU\n")[0]?.id).toBe("maxmemory-evicts-any-key");
  });
});

describe("hazards that fail the gate by themselves", () => {
  const failing = (text: string) => {
    const { conf, explanation } = read(text);
    return findHazards(conf, explanation).filter((h) => h.failsGate).map((h) => h.id);
  };
  it("are persistence off and a dir off the volume; the warnings are not", () => {
    expect(failing('save ""\nappendonly no\ndir /data\n')).toEqual(["persistence-off"]);
    expect(failing('save ""\nappendonly yes\nappendfsync no\ndir /tmp\n')).toEqual(["dir-not-on-volume"]);
    expect(failing('save ""\nappendonly yes\nappendfsync no\nno-appendfsync-on-rewrite yes\naof-load-truncated no\ndir /data\nprotected-mode no\n')).toEqual([]);
    expect(graceHazard(read("save 900 1\n").conf, 3_400, 1_000, 512)?.failsGate).toBe(false);
  });
});

describe("graceHazard", () => {
  const rdb = read("save 900 1\n").conf;
  it("is a danger when a snapshot config's shutdown outlasts the grace", () => {
    expect(graceHazard(rdb, 3_400, 1_000, 512)).toMatchObject({ id: "stop-grace-shorter-than-shutdown", severity: "danger", line: 1 });
    expect(graceHazard(rdb, 900, 1_000, 512)).toBeUndefined();
  });
});

describe("hazards from settings no line wrote", () => {
  it("carry no `line` key at all (a report's JSON must not say `\"line\": undefined`)", () => {
    // Settings read from no line of a file (a deployment's command line) carry none.
    const { conf, explanation } = read('save ""\n');
    const fromDefaults = findHazards({ ...conf, saveLines: [] }, explanation).filter((h) => h.line === undefined);
    expect(fromDefaults.length).toBeGreaterThan(0);
    for (const h of fromDefaults) expect(Object.hasOwn(h, "line"), h.id).toBe(false);
  });
});

