import { describe, expect, it } from "vitest";
import { deriveConfigText, GATE_OVERRIDES } from "./derived-config.js";
import { effectiveConf } from "./effective-conf.js";
import { explainConf } from "./explain-conf.js";
import { parseFatalConfigError } from "./fatal-config-error.js";
import { adviceFor } from "./gate-advice.js";
import { parseConf } from "./parse-conf.js";
import { contractForMaxLoss } from "./run-gate.js";

describe("parseFatalConfigError", () => {
  it("reads the line, the text and Redis's message", () => {
    const log = [
      "",
      "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***",
      "Reading the configuration file, at line 3",
      ">>> 'appendfsync sometimes'",
      "argument(s) must be one of the following: everysec, always, no",
    ].join("\n");
    expect(parseFatalConfigError(log)).toEqual({ line: 3, text: "appendfsync sometimes", message: "argument(s) must be one of the following: everysec, always, no" });
  });

  it("is undefined for a log without the block", () => {
    expect(parseFatalConfigError("1:M * Ready to accept connections")).toBeUndefined();
  });
});

describe("deriveConfigText", () => {
  it("keeps the user's lines where they were and appends the overrides", () => {
    const { text, userLines } = deriveConfigText("save 900 1\nappendonly yes");
    expect(userLines).toBe(2);
    const lines = text.split("\n");
    expect(lines.slice(0, 2)).toEqual(["save 900 1", "appendonly yes"]);
    expect(lines.slice(3, 3 + GATE_OVERRIDES.length)).toEqual([...GATE_OVERRIDES]);
  });

  it("touches no persistence directive", () => {
    expect(GATE_OVERRIDES.filter((l) => /^(save|append|dir|dbfilename|aof|rdb|stop-writes|shutdown)/.test(l))).toEqual([]);
  });
});

describe("contractForMaxLoss", () => {
  it("maps 0 to none-lost and a duration to a window", () => {
    expect(contractForMaxLoss(0)).toEqual({ kind: "none-lost" });
    expect(contractForMaxLoss(1_000)).toEqual({ kind: "window", maxMs: 1_000 });
  });
});

describe("adviceFor", () => {
  const context = (confText: string, fault: string, maxLossMs: number, shutdownMs: number | null = 300) => {
    const conf = effectiveConf(parseConf(confText));
    return adviceFor({ fault, validity: false, acknowledged: 1_000, conf, explanation: explainConf(conf), maxLossMs, graceMs: 10_000, shutdownMs });
  };

  it("tells an rdb config to turn the AOF on, with the fsync the bound needs", () => {
    expect(context("save 900 1\nappendonly no\n", "sigkill", 1_000)[0]).toMatch(/`appendonly yes` \(line 2\) with `appendfsync always`/);
    expect(context("save 900 1\nappendonly no\n", "sigkill", 5_000)[0]).toMatch(/`appendfsync everysec`/);
  });

  it("tells everysec to move to always when the bound is under 2 s", () => {
    expect(context('save ""\nappendonly yes\nappendfsync everysec\n', "sigkill", 500)[0]).toMatch(/`appendfsync always` \(line 3\)/);
  });

  it("blames the grace when the measured shutdown outlasts it, and a dir off the volume", () => {
    expect(context("save 900 1\n", "graceful-stop", 0, 14_000).join("\n")).toMatch(/raise the stop grace .* 14\.0 s/);
    expect(context("save 900 1\ndir /var/lib/redis\n", "recreate-same-volume", 0).join("\n")).toMatch(/set `dir \/data` \(line 2\)/);
  });
});
