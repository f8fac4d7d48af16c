import { describe, expect, it } from "vitest";
import { replicaState } from "./replica-copies.js";

const info = (fields: Record<string, string>) => new Map(Object.entries(fields));
const replica = { role: "slave", master_host: "10.213.7.10", master_link_status: "up", slave_repl_offset: "500" };

describe("replicaState", () => {
  it("is caught up only as a replica of that primary, link up, at its offset or beyond", () => {
    expect(replicaState(info(replica), "10.213.7.10", 500)).toEqual({ caughtUp: true, what: "replica of 10.213.7.10 (link up), replication offset 500" });
    expect(replicaState(info(replica), "10.213.7.10", 400).caughtUp).toBe(true);
    expect(replicaState(info(replica), "10.213.7.10", 501).caughtUp).toBe(false);
  });

  it("is not caught up as a replica of another node, whatever its offset (a stale primary's stream)", () => {
    expect(replicaState(info(replica), "10.213.7.11", 100)).toEqual({ caughtUp: false, what: "replica of 10.213.7.10 (link up), replication offset 500" });
  });

  it("is not caught up with its link down, as a primary itself, or without an answer", () => {
    expect(replicaState(info({ ...replica, master_link_status: "down" }), "10.213.7.10", 100).caughtUp).toBe(false);
    expect(replicaState(info({ role: "master", master_repl_offset: "900" }), "10.213.7.10", 100)).toEqual({ caughtUp: false, what: "role master" });
    expect(replicaState(undefined, "10.213.7.10", 100)).toEqual({ caughtUp: false, what: "no INFO replication answer" });
    expect(replicaState(info({ ...replica, slave_repl_offset: "" }), "10.213.7.10", 0).caughtUp).toBe(false);
  });
});
