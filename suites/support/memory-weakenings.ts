import { MODES } from "../../configs/modes.js";
import type { Mode } from "../../configs/modes.js";
import { contractFor } from "../../configs/disk-fault-contracts.js";
import { memoryPressureContract } from "../../configs/memory-contracts.js";
import type { CellResult } from "../../harness/cell/run-cell.js";
import { DEFAULT_WORKLOAD, runCell } from "../../harness/cell/run-cell.js";
import type { Contract } from "../../harness/checkers/contract.js";
import type { Fault } from "../../harness/faults/fault.js";
import { MEMORY_FAULTS } from "../../harness/faults/index.js";
import { withDirectivesAppended } from "./weaken-config.js";
import { weakenConfig } from "./weaken-config.js";

/** A memory-fault case held against something weaker than what it guards: it must come out red. */
export interface MemoryWeakening {
  name: string;
  /** The memory fault whose contract is held against the run. */
  fault: string;
  contractKind: Contract["kind"];
  expect: false | "unknown";
  run(image: string): Promise<CellResult>;
}

/** A copy of a mode's config with lines added at the end (Redis: the last line wins). */
export function configWith(mode: Mode, lines: string[]): string {
  return withDirectivesAppended(MODES[mode].configFile, lines);
}

// What a crash on a config without persistence adds to an eviction: every key gone, far more than Redis evicted.
function thenCrash(fault: Fault<string>): Fault<string> {
  return {
    ...fault,
    name: `${fault.name}-then-sigkill`,
    async heal(node, ctx) {
      await fault.heal(node, ctx);
      await node.signal("SIGKILL");
      await node.waitUntilExited();
      return { node, recoveryMs: await node.startAgain() };
    },
  };
}

const allkeysLru = MEMORY_FAULTS["memory-pressure-allkeys-lru"] as Fault<string>;

/** Every weakening of the memory-fault contracts; suites/memory-faults.test.ts runs each. */
export const MEMORY_WEAKENINGS: MemoryWeakening[] = [
  {
    name: "aof-everysec with `maxmemory-policy allkeys-lru`, held to noeviction's contract",
    fault: "memory-pressure",
    contractKind: "none-lost",
    expect: false,
    run: (image) =>
      runCell({ mode: "aof-everysec-allkeys-lru", configFile: configWith("aof-everysec", ["maxmemory-policy allkeys-lru"]), expected: memoryPressureContract("noeviction"), fault: MEMORY_FAULTS["memory-pressure"] as Fault<string>, image, expectBroken: true }),
  },
  {
    name: "allkeys-lru eviction followed by a crash on `none`: more keys gone than Redis evicted",
    fault: "memory-pressure-allkeys-lru",
    contractKind: "evicted-only",
    expect: false,
    run: (image) => runCell({ mode: "none-weakened", configFile: MODES.none.configFile, expected: memoryPressureContract("allkeys-lru"), fault: thenCrash(allkeysLru), image, expectBroken: true }),
  },
  {
    name: "rdb-aof with `appendonly no` OOM-killed in a fork: everything since the start lost, not 2 s",
    fault: "fork-under-memory-limit",
    contractKind: "window",
    expect: false,
    run: (image) =>
      runCell({
        mode: "rdb-aof-weakened",
        configFile: weakenConfig(MODES["rdb-aof"].configFile, { appendonly: "appendonly no" }),
        expected: contractFor(MODES["rdb-aof"], "fork-under-memory-limit"),
        fault: MEMORY_FAULTS["fork-under-memory-limit"] as Fault<string>,
        image,
        // A total loss breaks a 2 s window only when the run wrote for longer than 2.5 s, whatever the fill takes.
        workload: { ...DEFAULT_WORKLOAD, writeBeforeMs: 3_000 },
        expectBroken: true,
      }),
  },
];
