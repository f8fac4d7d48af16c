import { describe, expect, it } from "vitest";
import { EXIT } from "./exit-codes.js";
import { main } from "./main.js";

/** Runs a command line that must fail before Docker is needed, and returns its exit code and stderr. */
async function usage(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const code = await main(argv, { out: () => undefined, err: (text) => void (stderr += text) });
  return { code, stderr };
}

describe("matrix --versions (before any Docker call)", () => {
  it("refuses --versions together with --image: exit 2 and why", async () => {
    const { code, stderr } = await usage(["matrix", "--versions", "6.0,8.0", "--image", "redis:7.4"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe("redis-persistence: matrix: --versions and --image cannot be combined: --versions runs each version on its own image. Give one of them.\n");
  });

  it("names the known versions when one is unknown", async () => {
    const { code, stderr } = await usage(["matrix", "--versions", "6.0,9.9"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('--versions: unknown value "9.9"; known values: default, 6.0, 6.2, 7.0, 7.2, 7.4, 8.0, valkey-8.1');
  });
});
