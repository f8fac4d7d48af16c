import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { main } from "../harness/cli/main.js";
import type { CliIo } from "../harness/cli/session-scope.js";
import type { MatrixReport } from "../harness/report/report.js";

/** Captures what a command prints. */
function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const root = path.join(import.meta.dirname, "..");
const fixture = (name: string): string => path.join(root, "harness/deployment/fixtures", name);
const tmp = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-matrix-deployment-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** `matrix --deployment FILE --faults FAULTS`, small and fast, into its own folder: the exit code, what it printed, and report.json. */
async function matrixOn(file: string, faults: string, outName: string): Promise<{ code: number; io: ReturnType<typeof capture>; report: MatrixReport; out: string }> {
  const io = capture();
  const out = path.join(tmp, outName);
  const code = await main(["matrix", "--deployment", file, "--faults", faults, "--dataset-size", "1", "--skip-baseline", "--image", inject("redisImage"), "--out", out], io);
  const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8")) as MatrixReport;
  return { code, io, report, out };
}

describe("redis-persistence matrix --deployment (issue 10: the matrix takes a Deployment)", () => {
  it("runs the compose file's Redis as a row, held to its documented bound: appendfsync always on a named volume loses nothing", async () => {
    const { code, io, report, out } = await matrixOn(fixture("compose/aof-always-volume.yml"), "sigkill,graceful-stop", "always");
    expect(code, io.stdout + io.stderr).toBe(0);
    expect(report.modes).toEqual([{ mode: "aof-always-volume.yml:redis", configFile: "harness/deployment/fixtures/compose/aof-always-volume.yml", summary: expect.stringMatching(/AOF, fsync before every reply.*named-volume redis-data.*stop grace 10 s from compose default/) }]);
    const cells = Object.fromEntries(report.cells.map((c) => [c.fault, c]));
    expect(cells.sigkill).toMatchObject({ mode: "aof-always-volume.yml:redis", contract: { kind: "none-lost" }, verdict: true, contractSource: expect.stringMatching(/^documented for these settings and this storage: nothing acknowledged/) });
    expect(cells["graceful-stop"]).toMatchObject({ contract: { kind: "none-lost" }, verdict: true });
    expect(report.faults.find((f) => f.name === "graceful-stop")?.description).toMatch(/declared 10 s grace/);
    expect(await readFile(path.join(out, "report.md"), "utf8")).toContain("aof-always-volume.yml:redis");
  }, 180_000);

  it("runs the cells on the deployment's own storage: appendfsync always on a tmpfs loses everything to a kill, measured, and the row fails", async () => {
    const { code, io, report } = await matrixOn(fixture("compose/aof-always-tmpfs.yml"), "sigkill", "tmpfs");
    // The cell holds (all lost, as documented for RAM); the deployment does not: the gate fails it on its tmpfs.
    expect(code, io.stdout + io.stderr).toBe(1);
    expect(io.stderr).toMatch(/\[matrix\] the gate fails aof-always-tmpfs\.yml:redis: .*tmpfs/);
    const [cell] = report.cells;
    expect(cell).toMatchObject({ fault: "sigkill", contract: { kind: "all-lost" }, verdict: true, contractSource: expect.stringMatching(/keeps no files across a restart/) });
    // Measured, not assumed: every acknowledged write was gone after the restart on a new tmpfs.
    expect(cell?.figures.acknowledged.median).toBeGreaterThan(0);
    expect(cell?.figures.lostAcknowledged.median).toBe(cell?.figures.acknowledged.median);
    expect(cell?.figures.allLost).toBe(true);
    expect(report.faults.find((f) => f.name === "sigkill")?.description).toMatch(/tmpfs/);
  }, 180_000);

  it("a fault it cannot reproduce is unknown, never held: a read-only data volume fails the run", async () => {
    const file = path.join(tmp, "ro-volume.yml");
    // The shape of a compose file that mounts its data volume read-only by mistake (`:ro`, as for a config file).
    await writeFile(file, "services:\n  redis:\n    image: redis:7.2\n    command: [\"redis-server\", \"--appendonly\", \"yes\", \"--appendfsync\", \"always\"]\n    volumes:\n      - redis-data:/data:ro\nvolumes:\n  redis-data: {}\n");
    const { code, io, report } = await matrixOn(file, "sigkill", "ro");
    expect(code, io.stdout + io.stderr).toBe(1);
    expect(report.cells[0]).toMatchObject({ fault: "sigkill", verdict: "unknown", reasons: [expect.stringMatching(/^not run here: /)] });
    expect(io.stderr).toMatch(/the gate fails ro-volume\.yml:redis: .*read-only/);
  }, 120_000);

  it("refuses --modes with --deployment, and a compose file without Redis, with exit 2 as the gate does", async () => {
    const mixed = capture();
    expect(await main(["matrix", "--deployment", fixture("compose/aof-always-volume.yml"), "--modes", "rdb"], mixed)).toBe(2);
    expect(mixed.stderr).toMatch(/--modes and --deployment cannot be combined/);
    const none = capture();
    expect(await main(["matrix", "--deployment", fixture("compose/no-redis.yml"), "--faults", "sigkill"], none)).toBe(2);
    expect(none.stderr).toMatch(/^matrix: .*no Redis/im);
  });
});
