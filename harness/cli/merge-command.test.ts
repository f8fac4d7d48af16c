import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CellResult } from "../cell/run-cell.js";
import { runs, shardsOf } from "../report/shard-fixture.js";
import { main } from "./main.js";

const valid = (r: CellResult): CellResult => ({ ...r, verdict: { ...r.verdict, valid: true, reasons: [] } });

// merge's exit code is matrix's rule over the joined cells: held only when every cell is valid (or not applicable) and consistent.
describe("redis-persistence merge: the exit code", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "merge-command-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function mergeOf(name: string, adjust: (r: CellResult) => CellResult): Promise<{ code: number; stderr: string; stdout: string }> {
    const dirs = await Promise.all(
      shardsOf(2, runs(adjust)).map(async (s, i) => {
        const dir = path.join(root, name, `shard-${i + 1}`);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, "report.json"), JSON.stringify(s.report));
        return dir;
      }),
    );
    const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
    const code = await main(["merge", ...dirs, "--out", path.join(root, name, "merged")], io);
    return { code, stderr: io.stderr, stdout: io.stdout };
  }

  it("exits 0 when every joined cell held", async () => {
    const r = await mergeOf("held", valid);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Merged from 2 shards/);
  });

  it("exits 1 when one cell of one shard is unknown", async () => {
    const r = await mergeOf("unknown", (res) => (res.mode === "aof-no" && res.fault === "sigkill" ? { ...res, verdict: { ...res.verdict, valid: "unknown", reasons: ["the case could not run"] } } : valid(res)));
    expect(r.code, r.stderr).toBe(1);
  });

  it("exits 1 when a cell's repetitions disagree", async () => {
    let n = 0;
    const r = await mergeOf("inconsistent", (res) => (res.mode === "rdb" && res.fault === "graceful-stop" && n++ % 2 === 0 ? { ...res, verdict: { ...res.verdict, valid: false, reasons: ["lost"] } } : valid(res)));
    expect(r.code, r.stderr).toBe(1);
  });

  it("exits 1 on the fixture's broken cell", async () => {
    expect((await mergeOf("broken", (res) => res)).code).toBe(1);
  });
});
