import { MODES } from "../../configs/modes.js";
import type { CellResult } from "../cell/run-cell.js";
import { DEFAULT_WORKLOAD } from "../cell/run-cell.js";
import { PROCESS_FAULTS } from "../faults/index.js";
import type { MatrixRun } from "./build-report.js";
import { buildReport } from "./build-report.js";
import { documentedBounds } from "./documented-bounds.js";
import type { MatrixReport, Needs } from "./report.js";

/** The server a fixture run claims to have run on. */
export interface FixtureServer {
  version: string;
  image: string;
  serverVersion: string;
}

const BOOKWORM: FixtureServer = { version: "default", image: "localhost/redis-persistence/redis-debian:bookworm", serverVersion: "7.0.15" };

/** Plausible figures for every mode x process fault, as a real run on this kind of machine gives them; `adjust` may change a result. For tests and previews. */
export function fixtureRun(repetitions = 1, server: FixtureServer = BOOKWORM, adjust: (result: CellResult) => CellResult = (r) => r): MatrixRun {
  const cells = Object.values(MODES).flatMap((mode) =>
    Object.values(PROCESS_FAULTS).map((fault) => {
      const expected = mode.contracts[fault.name];
      const results = Array.from({ length: repetitions }, (_, rep): CellResult => {
        const kind = expected.contract.kind;
        const acknowledged = 20_000 + rep * 500 - (mode.mode === "aof-always" ? 12_000 : 0);
        const lost = kind === "all-lost" ? acknowledged : kind === "after-snapshot-only" ? 7_000 + rep * 100 : 0;
        const window = kind === "all-lost" ? 1_540 + rep * 20 : kind === "after-snapshot-only" ? 1_020 + rep * 15 : 0;
        return {
          mode: mode.mode,
          fault: fault.name,
          image: server.image,
          serverVersion: server.serverVersion,
          serverVersionAfter: server.serverVersion,
          contractSource: expected.source,
          verdict: {
            valid: true,
            contract: expected.contract,
            reasons: [],
            figures: {
              attempted: acknowledged + 4,
              acknowledged,
              lostAcknowledged: lost,
              recoveredUnacknowledged: 0,
              refusedRecovered: 0,
              gaps: 0,
              orderViolations: 0,
              corrupted: 0,
              lossWindowMs: lost === acknowledged ? null : window,
              allLost: lost === acknowledged,
              clientsAllLost: lost === acknowledged ? 4 : 0,
              keysInDatabase: 16_384,
            },
            evidence: [],
          },
          throughput: { acknowledged, opsPerSecond: Math.round(acknowledged / 1.5), p50Ms: 0.2 + rep * 0.01, p99Ms: 1.4 + rep * 0.1 },
          recoveryMs: (fault.datasetMiB ? 2_900 : 480) + rep * 30,
          datasetKeys: fault.datasetMiB ? 131_072 : 16_384,
          dataDirBytes: mode.mode === "none" ? 0 : 70_000_000,
          durationMs: fault.datasetMiB ? 11_000 : 4_200,
          proofs: [],
        };
      });
      return { mode, fault, expected, results: results.map(adjust) };
    }),
  );
  return {
    runId: "fixture",
    version: server.version,
    image: { name: server.image, origin: "offline-build" },
    datasetMiB: 64,
    repetitions,
    workload: DEFAULT_WORKLOAD,
    wallTimeMs: 200_000,
    cells,
    baseline: {
      tool: "redis-benchmark",
      clients: 4,
      valueBytes: 80,
      modes: Object.values(MODES).map((m) => ({ version: server.version, mode: m.mode, harnessOpsPerSecond: 14_000, benchmarkOpsPerSecond: 17_000, ratio: 0.82, harnessP50Ms: 0.2, benchmarkP50Ms: 0.18 })),
      ratio: 0.82,
    },
  };
}

/** The fixture run as a report, with the stated needs. */
export function fixtureReport(repetitions = 1, needs: Needs = { maxLossMs: 1_000, minOpsPerSecond: 5_000 }): MatrixReport {
  return buildReport([fixtureRun(repetitions)], needs, documentedBounds(Object.values(MODES)), { name: "redis-persistence", version: "0.0.0-test" }, new Date("2026-01-01T00:00:00Z"));
}

/**
 * Two versions, 6.0 then 8.0, where 8.0 differs in three cells: aof-everysec x sigkill loses 1,200 writes
 * in 900 ms (a change), rdb-aof x short-grace breaks its contract (a change), rdb x sigkill's window
 * grows from 1,020 to 1,200 ms (within the tolerance: no change).
 */
export function fixtureVersionsReport(): MatrixReport {
  const v60 = fixtureRun(1, { version: "6.0", image: "localhost/redis-persistence/redis-debian:bullseye", serverVersion: "6.0.16" });
  const v80 = fixtureRun(1, { version: "8.0", image: "localhost/redis-persistence/redis-debian:trixie", serverVersion: "8.0.2" }, (r) => {
    const figures = r.verdict.figures;
    if (r.mode === "aof-everysec" && r.fault === "sigkill") return { ...r, verdict: { ...r.verdict, figures: { ...figures, lostAcknowledged: 1_200, lossWindowMs: 900 } } };
    if (r.mode === "rdb-aof" && r.fault === "short-grace") {
      return { ...r, verdict: { ...r.verdict, valid: false, reasons: ["4,000 acknowledged writes lost; the contract allows 2 s"], figures: { ...figures, lostAcknowledged: 4_000, lossWindowMs: 2_600 } } };
    }
    if (r.mode === "rdb" && r.fault === "sigkill") return { ...r, verdict: { ...r.verdict, figures: { ...figures, lossWindowMs: 1_200 } } };
    return r;
  });
  return buildReport([v60, v80], { maxLossMs: 1_000, minOpsPerSecond: 5_000 }, documentedBounds(Object.values(MODES)), { name: "redis-persistence", version: "0.0.0-test" }, new Date("2026-01-01T00:00:00Z"));
}
