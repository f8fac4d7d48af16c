import { describe, expect, it } from "vitest";
import { listenersOf, wrongPortReason } from "./service-node.js";

const HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const row = (local: string, st: string): string => `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  1000        0 123 1 0000000000000000 100 0 0 10 0`;

// A Flask container on a user network: Flask on 0.0.0.0:5000, Docker's DNS on 127.0.0.11:40975,
// a connection to Redis, something on [::]:8080 and on 127.0.0.1:9000.
const PROC_NET_TCP = [
  HEADER,
  row("00000000:1388", "0A"),
  row("0B00007F:A00F", "0A"),
  row("0B00120A:9C40", "01"),
  row("0100007F:2328", "0A"),
  HEADER,
  row("00000000000000000000000000000000:1F90", "0A"),
  row("00000000000000000000000000000000:1388", "0A"),
].join("\n");

describe("listenersOf", () => {
  it("lists listening ports once each, sorted, loopback ones as such; Docker's DNS and connections are left out", () => {
    expect(listenersOf(PROC_NET_TCP)).toEqual([
      { port: 5000, scope: "reachable" },
      { port: 8080, scope: "reachable" },
      { port: 9000, scope: "loopback" },
    ]);
    expect(listenersOf("")).toEqual([]);
  });
});

describe("wrongPortReason", () => {
  const listeners = listenersOf(PROC_NET_TCP);
  it("names the ports it does listen on", () => {
    expect(wrongPortReason(8000, listeners)).toBe("nothing listens on port 8000 in the container; it listens on 5000, 8080: set SERVICE_PORT");
  });
  it("says when the port is bound to loopback only (Flask's app.run() default)", () => {
    expect(wrongPortReason(9000, listeners)).toMatch(/^it listens on port 9000 on loopback only .*make it listen on 0\.0\.0\.0$/);
  });
  it("says nothing when the port is right or nothing listens yet", () => {
    expect(wrongPortReason(5000, listeners)).toBeNull();
    expect(wrongPortReason(5000, [])).toBeNull();
  });
});
