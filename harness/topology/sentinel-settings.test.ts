import { describe, expect, it } from "vitest";
import { DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS, MASTER_NAME, QUORUM, dataNodeArgs, sentinelConf } from "./sentinel-settings.js";

describe("Sentinel group settings", () => {
  it("monitors the primary with quorum 2 and the short timings, announcing the Sentinel's own group address", () => {
    const conf = sentinelConf("10.213.1.10", "10.213.1.20").split("\n");
    expect(conf).toContain(`sentinel monitor ${MASTER_NAME} 10.213.1.10 6379 ${QUORUM}`);
    expect(conf).toContain(`sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`);
    expect(conf).toContain(`sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`);
    expect(conf).toContain("sentinel announce-ip 10.213.1.20");
    expect(QUORUM).toBe(2);
    // Above Sentinel's 1 s ping period, and small enough for a cell to stay short.
    expect(DOWN_AFTER_MS).toBeGreaterThan(1_000);
    expect(DOWN_AFTER_MS).toBeLessThanOrEqual(2_000);
  });

  it("makes a replica follow the primary and every node announce its group address", () => {
    expect(dataNodeArgs("10.213.1.11", "10.213.1.10")).toEqual(["--replica-announce-ip", "10.213.1.11", "--port", "6379", "--replicaof", "10.213.1.10", "6379"]);
    expect(dataNodeArgs("10.213.1.10", undefined)).toEqual(["--replica-announce-ip", "10.213.1.10", "--port", "6379"]);
  });
});
