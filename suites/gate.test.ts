import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import { renderGate } from "../harness/gate/render-gate.js";
import type { GateReport } from "../harness/gate/run-gate.js";
import { faultFsCase, faultFsUnsupportedReason } from "./support/fault-fs-case.js";

/** Captures what a command prints. */
function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const image = inject("redisImage");
const faultFsUnsupported = await faultFsUnsupportedReason();
// Small data and few faults keep each gate to a few seconds.
const gate = (io: CliIo, ...args: string[]) => main(["gate", "--dataset-size", "8", "--image", image, ...args], io);

describe("redis-persistence gate", () => {
  it("passes aof-always for --max-loss 0", async () => {
    const io = capture();
    const code = await gate(io, "--config", MODES["aof-always"].configFile, "--max-loss", "0", "--faults", "sigkill,graceful-stop");
    expect(code, io.stdout + io.stderr).toBe(0);
    expect(io.stdout).toContain("This config is aof-always");
    expect(io.stdout).toMatch(/PASS\s+sigkill\s+0 of \d+ acknowledged writes lost/);
    expect(io.stdout).toMatch(/^PASS: every measured loss is within 0 ms$/m);
  }, 60_000);

  it("fails rdb for --max-loss 1s, saying which fault broke the bound, by how much, and what to change", async () => {
    const io = capture();
    const code = await gate(io, "--config", MODES.rdb.configFile, "--max-loss", "1s", "--faults", "sigkill", "--json");
    expect(code, io.stderr).toBe(1);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.passed).toBe(false);
    expect(report.explanation.mode).toBe("rdb");
    const [sigkill] = report.checks;
    expect(sigkill?.fault).toBe("sigkill");
    expect(sigkill?.overByMs).toBeGreaterThan(0);
    expect(sigkill?.advice.join(" ")).toMatch(/appendonly yes/);
    const text = renderGate(report);
    expect(text).toMatch(/FAIL\s+sigkill .* over the 1 s bound/);
    expect(text).toMatch(/^FAIL: sigkill broke the 1 s bound/m);
  }, 60_000);

  it("rejects a config with a typo with its line number and Redis's own message (exit 2, no stack trace)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-gate-"));
    const config = path.join(dir, "redis.conf");
    await writeFile(config, 'save ""\nappendonly yes\nappendfsync alwayz\ndir /data\n');
    const io = capture();
    const code = await gate(io, "--config", config, "--max-loss", "0", "--faults", "sigkill");
    await rm(dir, { recursive: true, force: true });
    expect(code).toBe(2);
    expect(io.stderr).toContain("Redis rejects this config");
    // Redis's wording differs between versions; the line, the text and a message are what matter.
    expect(io.stderr).toMatch(/line 3: appendfsync alwayz\n\s+Redis says: \S.*always/);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  // Process faults cannot tell `appendfsync no` from `always`: only the power cut the gate runs can.
  faultFsCase(faultFsUnsupported, "fails aof-no for --max-loss 1s under power loss, though it passes a process kill", async () => {
    const io = capture();
    const code = await gate(io, "--config", MODES["aof-no"].configFile, "--max-loss", "1s", "--faults", "sigkill,power-loss", "--json");
    expect(code, io.stderr).toBe(1);
    const report = JSON.parse(io.stdout) as GateReport;
    const byFault = new Map(report.checks.map((check) => [check.fault, check]));
    expect(byFault.get("sigkill")?.passed).toBe(true);
    const powerLoss = byFault.get("power-loss");
    expect(powerLoss?.passed).toBe(false);
    expect(powerLoss?.lostAcknowledged).toBeGreaterThan(0);
    expect(powerLoss?.advice.join(" ")).toMatch(/appendfsync always/);
  });
});
