import { describe, expect, it } from "vitest";
import { FAILOVER_FAULTS } from "../harness/faults/failover/index.js";
import { ACK_POLICIES } from "../harness/workload/ack-policy.js";
import { FAILOVER_CONTRACTS } from "./failover-contracts.js";

describe("failover contracts", () => {
  it("name a contract with a public source for every ack policy under every failover fault", () => {
    for (const acks of ACK_POLICIES) {
      for (const fault of Object.keys(FAILOVER_FAULTS) as (keyof typeof FAILOVER_FAULTS)[]) {
        const sourced = FAILOVER_CONTRACTS[acks][fault];
        expect(sourced.source, `${acks} x ${fault}`).toMatch(/redis\.io|Jepsen/);
      }
    }
  });

  it("assert a loss where the documentation says one happens, and none where WAIT makes it unlikely", () => {
    expect(FAILOVER_CONTRACTS.reply["primary-partition"].contract.kind).toBe("some-lost");
    expect(FAILOVER_CONTRACTS.reply["primary-kill"].contract.kind).toBe("may-lose");
    expect(FAILOVER_CONTRACTS["wait-1"]["primary-kill"].contract.kind).toBe("none-lost");
    expect(FAILOVER_CONTRACTS["wait-1"]["primary-kill"].source).toMatch(/not guaranteed/);
  });
});
