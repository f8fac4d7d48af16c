import { describe, expect, it } from "vitest";
import { DEFAULT_SAVE_POINTS, IMAGE_WORKING_DIR, effectiveConf } from "./effective-conf.js";
import { OS_WRITEBACK_MS, describeSavePoints, explainConf } from "./explain-conf.js";
import { VOLUME_DIR, findHazards, graceHazard, isVolumeDir } from "./hazards.js";
import { parseConf } from "./parse-conf.js";

const conf = (text: string) => effectiveConf(parseConf(text));
const explain = (text: string) => explainConf(conf(text));
const hazards = (text: string) => {
  const c = conf(text);
  return findHazards(c, explainConf(c));
};
const brief = (text: string) => hazards(text).map((h) => [h.id, h.severity, h.failsGate, h.line]);

describe("effectiveConf", () => {
  it("applies Redis 7's defaults to an empty config", () => {
    expect(conf("")).toEqual({
      savePoints: [
        { seconds: 3600, changes: 1 },
        { seconds: 300, changes: 100 },
        { seconds: 60, changes: 10000 },
      ],
      saveLines: [],
      ignoredSaveLines: [],
      appendonly: { value: "no" },
      appendfsync: { value: "everysec" },
      dir: { value: "./" },
      stopWritesOnBgsaveError: { value: "yes" },
      aofLoadTruncated: { value: "yes" },
      noAppendfsyncOnRewrite: { value: "no" },
      shutdownOnSigterm: { value: "default" },
      rdbchecksum: { value: "yes" },
      protectedMode: { value: "yes" },
      bind: { value: ["*", "-::*"] },
      requirepass: { value: "" },
      aclLines: [],
      renamedCommands: [],
      maxmemory: { value: 0 },
      maxmemoryPolicy: { value: "noeviction" },
    });
    expect(DEFAULT_SAVE_POINTS).toHaveLength(3);
  });

  it("takes the last line of a directive, lower-cased, with its line number", () => {
    const c = conf("appendonly no\nAPPENDONLY YES\nappendfsync Always\nstop-writes-on-bgsave-error NO\naof-load-truncated no\nno-appendfsync-on-rewrite yes\nrdbchecksum no\nprotected-mode no\n");
    expect(c.appendonly).toEqual({ value: "yes", line: 2 });
    expect(c.appendfsync).toEqual({ value: "always", line: 3 });
    expect(c.stopWritesOnBgsaveError).toEqual({ value: "no", line: 4 });
    expect(c.aofLoadTruncated).toEqual({ value: "no", line: 5 });
    expect(c.noAppendfsyncOnRewrite).toEqual({ value: "yes", line: 6 });
    expect(c.rdbchecksum).toEqual({ value: "no", line: 7 });
    expect(c.protectedMode).toEqual({ value: "no", line: 8 });
  });

  it("reads a directive without an argument as the empty value", () => {
    expect(conf("appendonly\nrequirepass\ndir\n")).toMatchObject({ appendonly: { value: "", line: 1 }, requirepass: { value: "", line: 2 }, dir: { value: "", line: 3 } });
  });

  it("keeps the case of a password, a dir and bind addresses", () => {
    const c = conf("requirepass S3cret other\ndir /Data/Redis\nbind 127.0.0.1 ::1\nbind 10.0.0.1 FE80::1\n");
    expect(c.requirepass).toEqual({ value: "S3cret", line: 1 });
    expect(c.dir).toEqual({ value: "/Data/Redis", line: 2 });
    expect(c.bind).toEqual({ value: ["10.0.0.1", "FE80::1"], line: 4 });
  });

  it("folds several dir lines as Redis's chdir does, from the image's working directory", () => {
    expect(IMAGE_WORKING_DIR).toBe("/data");
    expect(conf("dir redis\n").dir).toEqual({ value: "redis", line: 1 });
    expect(conf("dir /var/lib\ndir redis\n").dir).toEqual({ value: "/var/lib/redis", line: 2 });
    expect(conf("dir sub\ndir ..\n").dir).toEqual({ value: "/data", line: 2 });
    expect(conf("dir /tmp\ndir\n").dir).toEqual({ value: "/tmp", line: 2 });
  });

  it("accumulates save lines: the first replaces the defaults, save \"\" clears, an odd argument is no pair", () => {
    expect(conf('save 900 1\nsave ""\nsave 60 100 30\n')).toMatchObject({ savePoints: [{ seconds: 60, changes: 100, line: 3 }], saveLines: [1, 2, 3] });
    expect(conf("save 900 1 300 10\n").savePoints).toEqual([
      { seconds: 900, changes: 1, line: 1 },
      { seconds: 300, changes: 10, line: 1 },
    ]);
    // Redis refuses an odd count ("Invalid save parameters", which the gate's own check reports): no half pair here.
    expect(conf("save 900\n").savePoints).toEqual([]);
  });

  it("lists ACL lines and renamed commands, upper-casing the command", () => {
    const c = conf('user app on >pw ~* +@all\naclfile /etc/users.acl\nrename-command bgsave ""\nrename-command FLUSHALL x_flush\nrename-command\n');
    expect(c.aclLines).toEqual([1, 2]);
    expect(c.renamedCommands).toEqual([
      { command: "BGSAVE", to: "", line: 3 },
      { command: "FLUSHALL", to: "x_flush", line: 4 },
      { command: "", to: "", line: 5 },
    ]);
  });
});

describe("explainConf", () => {
  it("states nothing persisted as unbounded everywhere", () => {
    const everything = { maxMs: null, text: "everything: nothing is written to disk" };
    expect(explain('save ""\nappendonly no\n')).toEqual({
      mode: "none",
      snapshots: false,
      summary: 'no persistence (`save ""`, `appendonly no`)',
      processCrash: everything,
      powerLoss: everything,
      cleanStop: everything,
    });
  });

  it("states snapshots alone by their shortest single-change timer, and a clean stop by its final save", () => {
    const bound = { maxMs: 301_000, plusSaves: 2, text: "everything since the last snapshot: up to 301 s plus two BGSAVE durations (the next fork waits for more than 300 s after the last save ended)" };
    expect(explain("save 900 1 300 1 60 10000\n")).toEqual({
      mode: "rdb",
      snapshots: true,
      summary: "RDB snapshots only (900 s/1 change, 300 s/1 change, 60 s/10000 changes), no AOF",
      processCrash: bound,
      powerLoss: bound,
      cleanStop: { maxMs: 0, text: "nothing acknowledged: the shutdown saves a final snapshot" },
    });
    expect(explain("save 60 0\n").processCrash.maxMs).toBe(61_000);
    expect(explain("save 1 1\n").processCrash).toMatchObject({ maxMs: 2_000, plusSaves: 2 });
    expect(explain("save 60 2\n").processCrash).toEqual({ maxMs: null, text: "everything since the last snapshot, unbounded in time: no save point fires on a single change" });
  });

  it("makes a clean stop of snapshots a crash when shutdown-on-sigterm skips the final save", () => {
    expect(explain("save 900 1\nshutdown-on-sigterm nosave\n").cleanStop).toEqual({
      maxMs: 901_000,
      plusSaves: 2,
      text: "everything since the last snapshot: up to 901 s plus two BGSAVE durations (the next fork waits for more than 900 s after the last save ended); `shutdown-on-sigterm nosave` skips the final snapshot",
    });
    expect(explain("save 900 1\nshutdown-on-sigterm nosaves\n").cleanStop.maxMs).toBe(0);
  });

  it("states appendfsync always, with the rewrite gap only on a power cut", () => {
    const nothing = { maxMs: 0, text: "nothing acknowledged" };
    const flush = { maxMs: 0, text: "nothing acknowledged: the shutdown flushes and fsyncs the AOF" };
    expect(explain('save ""\nappendonly yes\nappendfsync always\n')).toEqual({
      mode: "aof-always",
      snapshots: false,
      summary: "AOF, fsync before every reply",
      processCrash: nothing,
      powerLoss: nothing,
      cleanStop: flush,
    });
    expect(explain("save 900 1\nappendonly yes\nappendfsync always\nno-appendfsync-on-rewrite yes\n")).toEqual({
      mode: "aof-always",
      snapshots: true,
      summary: "AOF, fsync before every reply plus RDB snapshots (900 s/1 change)",
      processCrash: nothing,
      powerLoss: { maxMs: OS_WRITEBACK_MS, text: "up to ~30 s while an AOF rewrite or BGSAVE runs (no-appendfsync-on-rewrite yes)" },
      cleanStop: flush,
    });
    expect(OS_WRITEBACK_MS).toBe(30_000);
  });

  it("states appendfsync no", () => {
    expect(explain('save ""\nappendonly yes\nappendfsync no\n')).toEqual({
      mode: "aof-no",
      snapshots: false,
      summary: "AOF, fsync left to the OS",
      processCrash: { maxMs: 0, text: "at most the write in flight (the kernel has every write)" },
      powerLoss: { maxMs: 30_000, text: "what the OS had not written back yet: typically up to ~30 s" },
      cleanStop: { maxMs: 0, text: "nothing acknowledged: the shutdown flushes and fsyncs the AOF" },
    });
  });

  it("states everysec, alone or with snapshots, and its rewrite gap", () => {
    const window = { maxMs: 2000, text: "about 1 s, 2 s worst case (a slow fsync postpones writes up to 2 s)" };
    expect(explain('save ""\nappendonly yes\n')).toMatchObject({ mode: "aof-everysec", snapshots: false, summary: "AOF, fsync every second", processCrash: window, powerLoss: window });
    expect(explain("save 300 10\nappendonly yes\nappendfsync everysec\n")).toMatchObject({
      mode: "rdb-aof",
      snapshots: true,
      summary: "AOF, fsync every second plus RDB snapshots (300 s/10 changes)",
      processCrash: window,
    });
    expect(explain("appendonly yes\nno-appendfsync-on-rewrite yes\n").powerLoss).toEqual({ maxMs: 30_000, text: "up to ~30 s while an AOF rewrite or BGSAVE runs (no-appendfsync-on-rewrite yes)" });
    expect(explain("appendonly yes\nno-appendfsync-on-rewrite yes\n").processCrash).toEqual(window);
  });

  it("describes save points in words", () => {
    expect(describeSavePoints([])).toBe("");
    expect(describeSavePoints([{ seconds: 60, changes: 1 }, { seconds: 10, changes: 2 }])).toBe("60 s/1 change, 10 s/2 changes");
  });
});

describe("findHazards", () => {
  it("fails the gate on persistence off, at the last save line, else at appendonly, else at no line", () => {
    expect(brief('save ""\nsave ""\nappendonly no\ndir /data\n')).toEqual([["persistence-off", "danger", true, 2]]);
    expect(brief('appendonly no\nsave 900 1\nsave ""\n')).toEqual([["persistence-off", "danger", true, 3]]);
    const [off] = hazards('save ""\n');
    expect(off).toEqual({
      id: "persistence-off",
      kind: "durability",
      severity: "danger",
      line: 1,
      message: 'persistence is off (`save ""` and `appendonly no`): every restart starts empty',
      fix: "set `appendonly yes` with `appendfsync always` (lose nothing) or `everysec` (lose up to ~2 s)",
      failsGate: true,
    });
  });

  it("fails the gate on a dir off the volume, and says where", () => {
    const [dir] = hazards("appendonly yes\ndir /var/lib/redis\n");
    expect(dir).toEqual({
      id: "dir-not-on-volume",
      kind: "durability",
      severity: "danger",
      line: 2,
      message: "`dir /var/lib/redis` is not /data, where the image mounts its volume: the files stay in the container and are gone when it is recreated",
      fix: "set `dir /data` (or mount the volume at /var/lib/redis)",
      failsGate: true,
    });
  });

  it("grades each warning by whether an AOF backs the snapshots up, and none fails the gate", () => {
    expect(brief("save 900 1\nstop-writes-on-bgsave-error no\nshutdown-on-sigterm nosave\nrdbchecksum no\n")).toEqual([
      ["stop-writes-on-bgsave-error-no", "danger", false, 2],
      ["shutdown-on-sigterm-nosave", "danger", false, 3],
      ["rdbchecksum-no", "warning", false, 4],
    ]);
    expect(brief("save 900 1\nappendonly yes\nstop-writes-on-bgsave-error no\nshutdown-on-sigterm nosave\n")).toEqual([
      ["stop-writes-on-bgsave-error-no", "warning", false, 3],
      ["shutdown-on-sigterm-nosave", "warning", false, 4],
    ]);
  });

  it("says nothing of settings that do not apply: snapshot settings without save points, AOF settings without an AOF", () => {
    expect(brief('save ""\nappendonly yes\nstop-writes-on-bgsave-error no\nrdbchecksum no\n')).toEqual([]);
    expect(brief("save 900 1\nappendonly no\nappendfsync no\naof-load-truncated no\nno-appendfsync-on-rewrite yes\n")).toEqual([]);
    expect(brief("save 900 1\nshutdown-on-sigterm default\n")).toEqual([]);
  });

  it("words each hazard so that its line reads on its own", () => {
    const all = hazards(
      ["save 900 1", "appendonly yes", "appendfsync no", "stop-writes-on-bgsave-error no", "aof-load-truncated no", "no-appendfsync-on-rewrite yes", "shutdown-on-sigterm nosave now", "rdbchecksum no"].join("\n"),
    );
    const text = Object.fromEntries(all.map((h) => [h.id, `${h.kind} ${h.message} / ${h.fix}`]));
    expect(text).toEqual({
      "appendfsync-no": expect.stringMatching(/^durability `appendfsync no` leaves fsync to the OS: .*30 s\) \/ use `appendfsync everysec` \(~1-2 s\) or `always`/),
      "stop-writes-on-bgsave-error-no": expect.stringMatching(/^durability `stop-writes-on-bgsave-error no`: when snapshots fail .* \/ remove the line \(the default `yes` refuses writes with MISCONF/),
      "aof-load-truncated-no": expect.stringMatching(/^durability `aof-load-truncated no`: .*redis-check-aof --fix \/ remove the line \(the default `yes` drops the truncated command/),
      "no-appendfsync-on-rewrite": expect.stringMatching(/^durability `no-appendfsync-on-rewrite yes`: no fsync while .* \/ set `no-appendfsync-on-rewrite no`$/),
      "shutdown-on-sigterm-nosave": expect.stringMatching(/^durability `shutdown-on-sigterm nosave`: `docker stop` skips the final snapshot.* \/ remove `nosave` from `shutdown-on-sigterm`$/),
      "rdbchecksum-no": expect.stringMatching(/^durability `rdbchecksum no`: a corrupted snapshot loads without an error \/ remove the line/),
    });
    expect(all.every((h) => h.severity === "warning" && !h.failsGate)).toBe(true);
  });

  it("flags SAVE, BGSAVE and SHUTDOWN renamed or disabled, not other commands", () => {
    const renamed = hazards('rename-command save ""\nrename-command SHUTDOWN stop_it\nrename-command FLUSHALL ""\n');
    expect(renamed.map((h) => [h.id, h.line, h.message, h.fix])).toEqual([
      [
        "persistence-command-renamed",
        1,
        "SAVE is disabled: backups, operators and `redis-cli save` that call it fail (signals still save)",
        "drop the `rename-command SAVE` line, or make every tool that calls SAVE use the new name",
      ],
      [
        "persistence-command-renamed",
        2,
        "SHUTDOWN is renamed to stop_it: backups, operators and `redis-cli shutdown` that call it fail (signals still save)",
        "drop the `rename-command SHUTDOWN` line, or make every tool that calls SHUTDOWN use the new name",
      ],
    ]);
    expect(renamed.every((h) => h.kind === "durability" && h.severity === "warning" && !h.failsGate)).toBe(true);
  });

  it("calls a server open only when protected mode is off, nothing authenticates, and some address is not loopback", () => {
    const open = (bind: string, extra = "") => brief(`save ""\nappendonly yes\nprotected-mode no\nbind ${bind}\n${extra}`);
    expect(open("0.0.0.0")).toEqual([["open-without-password", "warning", false, 3]]);
    expect(open("127.0.0.1 10.0.0.5")).toEqual([["open-without-password", "warning", false, 3]]);
    expect(open("-192.168.1.10")).toEqual([["open-without-password", "warning", false, 3]]);
    expect(open("127.0.0.1 -::1 localhost 127.1.2.3")).toEqual([]);
    expect(open("0.0.0.0", "aclfile /etc/users.acl\n")).toEqual([]);
    expect(open("0.0.0.0", "requirepass x\n")).toEqual([]);
    expect(brief('save ""\nappendonly yes\nbind 0.0.0.0\n')).toEqual([]);
    expect(brief('save ""\nappendonly yes\nprotected-mode no\n')).toEqual([["open-without-password", "warning", false, 3]]);
    const [hazard] = hazards('save ""\nappendonly yes\nprotected-mode no\nbind 0.0.0.0 ::\n');
    expect(hazard).toMatchObject({
      kind: "security",
      message: "`protected-mode no` with no `requirepass` or ACL users, listening on 0.0.0.0 ::: anyone who reaches the port can read, overwrite or FLUSHALL the data",
      fix: "set `requirepass` (or ACL users), or bind to loopback / a private network only",
    });
  });
});

describe("graceHazard", () => {
  const rdb = conf("save 900 1\nsave 300 10\n");
  const aofOnly = conf('save ""\nappendonly yes\n');

  it("is undefined while the shutdown fits the grace, the grace itself included", () => {
    expect(graceHazard(rdb, 1_000, 1_000, 64)).toBeUndefined();
  });

  it("is a danger for snapshots, pointing at the last save line, and says why", () => {
    expect(graceHazard(rdb, 3_400, 1_000, 512)).toEqual({
      id: "stop-grace-shorter-than-shutdown",
      kind: "durability",
      severity: "danger",
      line: 2,
      message:
        "the shutdown took 3.4 s with 512 MiB of data, longer than the stop grace of 1.0 s: the orchestrator kills Redis during its final save, which loses what came after the last completed snapshot",
      fix: "raise the stop grace above 5.1 s (docker stop -t, compose stop_grace_period, Kubernetes terminationGracePeriodSeconds)",
      failsGate: false,
    });
  });

  it("is a warning without snapshots, and whole seconds from 10 s on", () => {
    const hazard = graceHazard(aofOnly, 12_400, 10_000, 64);
    expect(hazard).toMatchObject({ severity: "warning", line: 1, fix: expect.stringMatching(/^raise the stop grace above 19 s /) });
    expect(hazard?.message).toBe("the shutdown took 12 s with 64 MiB of data, longer than the stop grace of 10 s: the orchestrator kills Redis before it exits cleanly");
    expect(graceHazard(conf("appendonly yes\n"), 9_999, 1_000, 1)?.message).toMatch(/^the shutdown took 10\.0 s /);
  });

  it("has no line when the default save points apply", () => {
    expect(graceHazard(conf("appendonly no\n"), 5_000, 1_000, 64)).not.toHaveProperty("line");
  });
});

describe("isVolumeDir", () => {
  it.each([
    ["/data", true],
    ["/data/", true],
    ["/data/redis", true],
    ["./", true],
    ["redis", true],
    ["/database", false],
    ["/data-old", false],
    ["../tmp", false],
    ["/", false],
    ["/tmp/data", false],
  ])("%j: %s", (dir, expected) => {
    expect(isVolumeDir(dir)).toBe(expected);
  });

  it("takes /data as the volume", () => {
    expect(VOLUME_DIR).toBe("/data");
  });
});
