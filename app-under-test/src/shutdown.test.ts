import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The real entry point in a child process, with no Redis behind it (port 1 refuses): SIGTERM
// while a request is in flight must let that request finish, refuse new connections, exit 0.
const SERVER = fileURLToPath(new URL("./server.ts", import.meta.url));

it("SIGTERM drains an in-flight request, refuses new ones and exits 0", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], { env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", REDIS_PORT: "1" }, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  try {
    await new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve()));
    const answer = new Promise<number | string | undefined>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/predict", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", (error) => resolve(error.message));
      // Half a body now, the rest after SIGTERM: the request is in flight when the signal lands.
      req.write('{"series_id": "demo", ');
      setTimeout(() => child.kill("SIGTERM"), 200);
      setTimeout(() => req.end('"historical_data": [{"timestamp": "2024-01-01T12:00:00", "value": 10}]}'), 600);
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const lateConnection = await fetch(`http://127.0.0.1:${port}/health`).then((r) => `answered ${r.status}`, (e: { cause?: { code?: string } }) => e.cause?.code);
    expect(lateConnection, "a new connection after SIGTERM").toBe("ECONNREFUSED");
    // 503: Redis is unreachable, but the request got its answer rather than a reset.
    expect(await answer, "the in-flight request's status").toBe(503);
    expect(await exited, "exit code").toBe(0);
  } finally {
    child.kill("SIGKILL");
  }
}, 20_000);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
