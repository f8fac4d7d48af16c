import { describe, expect, it } from "vitest";
import { MODES } from "../configs/modes.js";
import { CONTRACT_KINDS } from "../harness/checkers/contract.js";
import { DISK_FAULTS } from "../harness/faults/disk-faults.js";
import { FAILOVER_FAULTS } from "../harness/faults/failover/index.js";
import { MEMORY_FAULTS, PROCESS_FAULTS } from "../harness/faults/index.js";
import { MEMORY_WEAKENINGS } from "./support/memory-weakenings.js";
import { DISK_WEAKENINGS } from "./support/weakening-registry-disk.js";
import { PROCESS_WEAKENINGS } from "./support/weakenings.js";
import { FAILOVER_WEAKENINGS, MAY_LOSE_UNIT_WEAKENING } from "./support/failover-weakenings.js";

// A contract kind or a fault that no weakening turns red is a verdict nobody has seen say "no".
const covered = [
  ...PROCESS_WEAKENINGS.map((w) => ({ fault: w.contractOf as string, contractKind: MODES[w.mode].contracts[w.contractOf].contract.kind as string, name: w.name })),
  ...DISK_WEAKENINGS,
  ...MEMORY_WEAKENINGS,
  ...FAILOVER_WEAKENINGS.map((w) => ({ fault: w.fault as string, contractKind: w.contractKind as string, name: w.name })),
  MAY_LOSE_UNIT_WEAKENING,
];

describe("every contract and every fault has a weakening that must turn it red", () => {
  it.each([...CONTRACT_KINDS])("contract kind %s", (kind) => {
    expect(covered.filter((w) => w.contractKind === kind).map((w) => w.name), `add a weakening for the ${kind} contract`).not.toEqual([]);
  });

  it.each([...Object.keys(PROCESS_FAULTS), ...Object.keys(DISK_FAULTS), ...Object.keys(MEMORY_FAULTS), ...Object.keys(FAILOVER_FAULTS)])("fault %s", (fault) => {
    expect(covered.filter((w) => w.fault === fault).map((w) => w.name), `add a weakening for the ${fault} fault`).not.toEqual([]);
  });
});
