import { beforeAll, describe, expect, it } from "vitest";
import { failoverContract } from "../configs/failover-contracts.js";
import { MODES } from "../configs/modes.js";
import type { Mode } from "../configs/modes.js";
import { runFailoverCell } from "../harness/cell/run-failover-cell.js";
import type { FailoverCellResult } from "../harness/cell/run-failover-cell.js";
import type { FailoverFaultName } from "../harness/faults/failover/failover-fault.js";
import { FAILOVER_FAULTS } from "../harness/faults/failover/index.js";
import { resolveRedisImage } from "../harness/runtime/images.js";
import { VERSIONS } from "../harness/runtime/versions.js";
import type { AckPolicy } from "../harness/workload/ack-policy.js";

// WAITAOF is Redis 7.2+: these cases run on the 8.0 build (official where a registry answers, else
// built from Debian trixie's packages), and show the 7.0 build refusing the policy. They run on
// aof-always: under everysec WAITAOF 1 1 waits for the once-a-second fsync on both sides, so the
// writers (8 in flight) got 56 writes acknowledged in 7 s, too few for the partition to prove it bit.
const CELL_TIMEOUT_MS = 150_000;
let image80 = "";
let image70 = "";
beforeAll(async () => {
  image80 = (await resolveRedisImage(VERSIONS["8.0"], "")).name;
  image70 = (await resolveRedisImage(VERSIONS["7.0"], "")).name;
}, 900_000);

const runs = new Map<string, Promise<FailoverCellResult>>();
function cell(fault: FailoverFaultName, acks: AckPolicy, image: string, mode: Mode = "aof-everysec"): Promise<FailoverCellResult> {
  const key = `${image}/${mode}/${fault}/${acks}`;
  let run = runs.get(key);
  if (!run) {
    const spec = MODES[mode];
    run = runFailoverCell({ mode: spec.mode, configFile: spec.configFile, expected: failoverContract(mode, acks, fault), fault: FAILOVER_FAULTS[fault], acks, image });
    runs.set(key, run);
  }
  return run;
}

const figuresOf = (r: FailoverCellResult): string =>
  `lost ${r.verdict.figures.lostAcknowledged} of ${r.verdict.figures.acknowledged}, window ${r.verdict.figures.lossWindowMs} ms, failover ${r.recoveryMs} ms, cell ${r.durationMs} ms, ${r.serverVersion}; ${r.verdict.reasons.join("; ")}`;

describe("WAITAOF 1 1 as the ack policy (Sentinel group on the 8.0 build)", () => {
  for (const fault of ["primary-kill", "primary-partition"] as const) {
    it(`aof-always x ${fault} with acks waitaof-1-1: no acknowledged write lost`, { timeout: CELL_TIMEOUT_MS }, async () => {
      const result = await cell(fault, "waitaof-1-1", image80, "aof-always");
      process.stderr.write(`[failover waitaof] ${fault}: ${figuresOf(result)}; ${JSON.stringify(result.measurements)}\n`);
      expect(result.proofs.filter((p) => !p.held), JSON.stringify(result.proofs)).toEqual([]);
      expect(result.verdict.valid, figuresOf(result)).toBe(true);
    });
  }

  it("the none-lost contract goes red with WAITAOF removed (acks reply under primary-partition, same build and mode)", { timeout: CELL_TIMEOUT_MS }, async () => {
    const result = await cell("primary-partition", "reply", image80, "aof-always");
    const verdict = result.judge(failoverContract("aof-always", "waitaof-1-1", "primary-partition").contract);
    process.stderr.write(`[failover waitaof weakening] ${figuresOf(result)}; judged ${String(verdict.valid)}\n`);
    expect(verdict.valid, figuresOf(result)).toBe(false);
  });

  it("is refused, with the reason, on a server before 7.2 (the 7.0 build)", { timeout: CELL_TIMEOUT_MS }, async () => {
    await expect(cell("primary-kill", "waitaof-1-1", image70)).rejects.toThrow(/acks waitaof-1-1 needs WAITAOF \(since Redis 7\.2\.0.*this group runs 7\.0\./s);
  });

  it("is refused, with the reason, on a mode without an AOF", { timeout: CELL_TIMEOUT_MS }, async () => {
    await expect(cell("primary-kill", "waitaof-1-1", image80, "rdb")).rejects.toThrow(/needs appendonly yes.*mode rdb has appendonly no/s);
  });

  it("is refused, with the reason, on an AOF that Redis never fsyncs (appendfsync no)", { timeout: CELL_TIMEOUT_MS }, async () => {
    await expect(cell("primary-kill", "waitaof-1-1", image80, "aof-no")).rejects.toThrow(/needs an AOF that Redis fsyncs.*mode aof-no has appendfsync no/s);
  });
});
