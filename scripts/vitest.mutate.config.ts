import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The unit tests of the modules StrykerJS mutates (`npm run mutate`, scripts/stryker.config.mjs):
 * pure logic, no Docker (the "conformance" project of vitest.config.ts boots Docker). Kept to these
 * files so that an unrelated unit test cannot stop the run, and light: StrykerJS reruns the tests
 * that cover a mutant for each mutant, and every test for a mutant of module-level data (the
 * contract tables). gate-verdict.test.ts and gate-parts.test.ts import run-gate.ts, and with it the
 * Docker runtime (seconds per rerun): they stay in `npm test`; *.mutation.test.ts cover the same rules.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: [
      "harness/checkers/**/*.test.ts",
      "harness/gate/**/*.test.ts",
      "harness/faults/process-proofs*.test.ts",
      "harness/cell/fault-proofs*.test.ts",
      "configs/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", ".cache/**", "harness/gate/gate-verdict.test.ts", "harness/gate/gate-parts.test.ts"],
  },
});
