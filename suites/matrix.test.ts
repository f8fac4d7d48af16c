import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import { validateJson } from "../harness/report/json-schema.js";
import { loadInChromium } from "../harness/report/headless-chromium.js";
import type { MatrixReport } from "../harness/report/report.js";
import { loadReportSchema } from "../harness/report/write-report.js";

const MODES = ["aof-always", "rdb"];
const FAULTS = ["sigkill", "graceful-stop"];
const CELLS = MODES.flatMap((mode) => FAULTS.map((fault) => `${mode} x ${fault}`));

/** Captures what a command prints. */
function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe("redis-persistence matrix (2 modes x 2 faults, through the CLI entry)", () => {
  let outDir: string;
  let exitCode: number;
  const io = capture();

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-matrix-"));
    exitCode = await main(
      ["matrix", "--modes", MODES.join(","), "--faults", FAULTS.join(","), "--dataset-size", "8", "--out", outDir, "--image", inject("redisImage")],
      io,
    );
  }, 170_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("exits 0, prints a progress line per case and the summary table", () => {
    expect(exitCode, io.stderr).toBe(0);
    expect(io.stderr.match(/^\[\d\/4\] .*elapsed, ~\d+:\d\d left$/gm)).toHaveLength(4);
    for (const cell of CELLS) expect(io.stdout).toMatch(new RegExp(`^${cell.replace(" x ", "\\s+")}\\s+valid`, "m"));
    expect(io.stdout).toMatch(/Recommendation \(max loss 1 s/);
  });

  it("writes report.json that validates against its schema, with every cell and the redis-benchmark baseline", () => {
    const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8")) as MatrixReport;
    expect(validateJson(report, loadReportSchema())).toEqual([]);
    expect(report.cells.map((c) => `${c.mode} x ${c.fault}`)).toEqual(CELLS);
    expect(report.cells.every((c) => c.verdict === true)).toBe(true);
    expect(report.baseline?.modes.map((m) => m.mode)).toEqual(MODES);
    expect(report.baseline?.modes.every((m) => m.benchmarkOpsPerSecond > 0 && m.harnessOpsPerSecond > 0)).toBe(true);
  });

  it("writes report.md with the table and the recommendation", () => {
    const markdown = readFileSync(path.join(outDir, "report.md"), "utf8");
    for (const cell of CELLS) expect(markdown).toContain(`| ${cell.replace(" x ", " | ")} |`);
    expect(markdown).toContain("## Recommendation");
  });

  it("writes report.html that headless Chromium renders with no console message, showing every cell", async () => {
    const file = path.join(outDir, "report.html");
    expect(existsSync(file)).toBe(true);
    const page = await loadInChromium(file);
    expect(page.consoleMessages).toEqual([]);
    for (const cell of CELLS) {
      expect(page.dom).toContain(`data-cell="${cell}"`);
      expect(page.dom).toContain(`data-row="${cell}"`);
    }
    expect(page.dom.match(/<svg /g)).toHaveLength(3);
  });
});

describe("redis-persistence matrix --versions default,6.0 (1 mode x 1 fault, through the CLI entry)", () => {
  let outDir: string;
  let exitCode: number;
  const io = capture();

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-versions-"));
    exitCode = await main(["matrix", "--versions", "default,6.0", "--modes", "aof-always", "--faults", "sigkill", "--dataset-size", "8", "--out", outDir], io);
  }, 170_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("counts cases over both versions and writes three files that compare them", async () => {
    expect(exitCode, io.stderr).toBe(0);
    expect(io.stderr.match(/^\[[12]\/2\] (default|6\.0): aof-always x sigkill: valid, .*elapsed, ~\d+:\d\d left$/gm)).toHaveLength(2);
    const report = JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8")) as MatrixReport;
    expect(validateJson(report, loadReportSchema())).toEqual([]);
    expect(report.versions.map((v) => v.id)).toEqual(["default", "6.0"]);
    expect(report.cells.map((c) => `${c.version}: ${c.serverVersion} on ${c.image}`)).toEqual(report.versions.map((v) => `${v.id}: ${v.serverVersion} on ${v.image}`));
    const [newer, older] = report.versions.map((v) => v.serverVersion);
    expect(older).toMatch(/^6\.0\./);
    expect(newer).not.toBe(older);
    expect(report.comparison?.versions).toEqual(["default", "6.0"]);
    const markdown = readFileSync(path.join(outDir, "report.md"), "utf8");
    expect(markdown).toContain(`| mode | fault | Redis ${newer} | Redis ${older} |`);
    expect(io.stdout).toMatch(new RegExp(`^mode\\s+fault\\s+Redis ${newer}\\s+Redis ${older}`, "m"));
    const page = await loadInChromium(path.join(outDir, "report.html"));
    expect(page.consoleMessages).toEqual([]);
    expect(page.dom).toContain(`Redis ${newer} vs Redis ${older}`);
    for (const version of ["default", "6.0"]) {
      expect(page.dom).toContain(`data-cell="aof-always x sigkill on ${version}"`);
      expect(page.dom).toContain(`data-row="aof-always x sigkill on ${version}"`);
    }
  });
});
