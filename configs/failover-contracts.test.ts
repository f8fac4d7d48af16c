import { describe, expect, it } from "vitest";
import { FAILOVER_FAULTS } from "../harness/faults/failover/index.js";
import { ACK_POLICIES } from "../harness/workload/ack-policy.js";
import { EVERYSEC_WORST_CASE_MS, MODES } from "./modes.js";
import type { Mode } from "./modes.js";
import { FAILOVER_CONTRACTS, failoverContract } from "./failover-contracts.js";

describe("failover contracts", () => {
  it("name a contract with a public source for every ack policy under every failover fault, in every mode", () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      for (const acks of ACK_POLICIES) {
        for (const fault of Object.keys(FAILOVER_FAULTS) as (keyof typeof FAILOVER_FAULTS)[]) {
          const sourced = failoverContract(mode, acks, fault);
          expect(sourced.source, `${mode} x ${acks} x ${fault}`).toMatch(/redis\.io|Jepsen/);
        }
      }
    }
  });

  it("assert a loss where the documentation says one happens, and none where WAIT makes it unlikely", () => {
    expect(FAILOVER_CONTRACTS.reply["primary-partition"].contract.kind).toBe("some-lost");
    expect(FAILOVER_CONTRACTS.reply["primary-kill"].contract.kind).toBe("may-lose");
    expect(FAILOVER_CONTRACTS["wait-1"]["primary-kill"].contract.kind).toBe("none-lost");
    expect(FAILOVER_CONTRACTS["wait-1"]["primary-kill"].source).toMatch(/not guaranteed/);
  });

  it("primary-restart-empty: without persistence everything is lost, with AOF everysec only its window, whatever the acks", () => {
    for (const acks of ACK_POLICIES) {
      const none = failoverContract("none", acks, "primary-restart-empty");
      expect(none.contract).toEqual({ kind: "all-lost" });
      expect(none.source).toMatch(/Safety of replication when master has persistence turned off/);
      expect(none.source).toMatch(/effectively destroy their copy of the data/);
      expect(none.source).toMatch(/restart fast enough for Sentinel to not detect a failure/);
      expect(failoverContract("aof-everysec", acks, "primary-restart-empty").contract).toEqual({ kind: "window", maxMs: EVERYSEC_WORST_CASE_MS });
      expect(failoverContract("aof-always", acks, "primary-restart-empty").contract.kind).toBe("none-lost");
    }
  });
});
