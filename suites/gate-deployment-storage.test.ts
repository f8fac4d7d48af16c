import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import type { GateCheck, GateReport } from "../harness/gate/gate-report.js";

/** Captures what a command prints. */
function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const image = inject("redisImage");
// A 1 MiB preload and only the faults each case needs keep every gate to a few seconds.
const gate = (io: CliIo, ...args: string[]) => main(["gate", "--dataset-size", "1", "--image", image, ...args], io);
const fixture = (name: string): string => path.join(import.meta.dirname, "..", "harness/deployment/fixtures", name);

function checkOf(report: GateReport, fault: string): GateCheck {
  const check = report.checks.find((c) => c.fault === fault);
  if (!check) throw new Error(`no ${fault} check in ${JSON.stringify(report.checks.map((c) => c.fault))}`);
  return check;
}

/** Every acknowledged write lost, measured: a run that finished, whose proofs held, and found none of them. */
function expectMeasuredTotalLoss(check: GateCheck): void {
  expect(check.validity, check.reasons.join("; ")).toBe(false);
  expect(check.outcome).toBe("fail");
  expect(check.decidedBy).toContain("measured");
  expect(check.acknowledged).toBeGreaterThan(0);
  expect(check.lostAcknowledged).toBe(check.acknowledged);
  expect(check.allLost).toBe(true);
}

describe("the gate's faults run on storage of the deployment's kind (issue 10, item 4)", () => {
  it("a tmpfs at /data with appendfsync always fails --max-loss 0: Docker empties the tmpfs on a restart of the same container, measured", async () => {
    const io = capture();
    const code = await gate(io, fixture("compose/aof-always-tmpfs.yml"), "--max-loss", "0", "--faults", "sigkill,recreate-same-volume", "--json");
    expect(code, io.stderr).toBe(1);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.explanation.mode).toBe("aof-always");
    expect(report.deployment?.storage).toMatchObject({ kind: "tmpfs", ranOn: expect.stringMatching(/^a Docker tmpfs at \/data \(the deployment's tmpfs\)/) });
    expect(report.overrides).toContainEqual(expect.stringMatching(/^dir \/data \(.*mapped to \/data on storage of kind tmpfs: a Docker tmpfs/));
    // The same container started again finds an empty tmpfs: what no fsync can keep.
    const sigkill = checkOf(report, "sigkill");
    expectMeasuredTotalLoss(sigkill);
    // Documented too: storage that keeps no files across a restart loses everything to any restart.
    expect(sigkill.decidedBy).toEqual(["documented", "measured"]);
    expect(sigkill.description).toMatch(/on a Docker tmpfs at \/data/);
    const recreate = checkOf(report, "recreate-same-volume");
    expectMeasuredTotalLoss(recreate);
    expect(recreate.decidedBy).toEqual(["documented", "measured"]);
    expect(recreate.description).toMatch(/start a new one as deployed: on a new tmpfs/);
    expect(report.failures).toEqual(expect.arrayContaining(["sigkill broke the bound (documented and measured)", "recreate-same-volume broke the bound (documented and measured)", expect.stringMatching(/on a tmpfs \(RAM\)/)]));
  }, 120_000);

  it("a compose service with no volume fails the recreate as deployed with every acknowledged write lost, measured", async () => {
    const io = capture();
    const code = await gate(io, fixture("compose/aof-always-no-volume.yml"), "--max-loss", "0", "--faults", "sigkill,recreate-same-volume", "--json");
    expect(code, io.stderr).toBe(1);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.deployment?.storage).toMatchObject({ kind: "anonymous-volume", ranOn: expect.stringMatching(/^an anonymous volume at \/data, which a new container does not get/) });
    // The same container keeps its anonymous volume: a kill loses nothing under `always`.
    expect(checkOf(report, "sigkill")).toMatchObject({ outcome: "pass", lostAcknowledged: 0 });
    const recreate = checkOf(report, "recreate-same-volume");
    expectMeasuredTotalLoss(recreate);
    expect(recreate.decidedBy).toEqual(["documented", "measured"]);
    expect(report.failures[0]).toBe("recreate-same-volume broke the bound (documented and measured)");
    expect(report.failures).toContainEqual(expect.stringMatching(/only on an anonymous volume/));
  }, 120_000);

  it("a named volume with appendfsync always passes --max-loss 0 under sigkill and the recreate as deployed", async () => {
    const io = capture();
    const code = await gate(io, fixture("compose/aof-always-volume.yml"), "--max-loss", "0", "--faults", "sigkill,recreate-same-volume", "--json");
    expect(code, io.stdout + io.stderr).toBe(0);
    const report = JSON.parse(io.stdout) as GateReport;
    expect(report.deployment?.storage).toMatchObject({ kind: "named-volume", ranOn: expect.stringMatching(/^a fresh named volume at \/data/) });
    for (const fault of ["sigkill", "recreate-same-volume"]) {
      expect(checkOf(report, fault), fault).toMatchObject({ outcome: "pass", validity: true, lostAcknowledged: 0 });
      expect(checkOf(report, fault).acknowledged, fault).toBeGreaterThan(0);
    }
    expect(checkOf(report, "recreate-same-volume").description).toMatch(/as deployed: on the same named volume/);
  }, 120_000);
});
