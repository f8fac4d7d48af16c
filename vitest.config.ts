import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: process.env.CI ? ["verbose"] : ["default"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["harness/**/*.test.ts", "app-under-test/**/*.test.ts", "configs/**/*.test.ts"],
          exclude: ["**/node_modules/**", "harness/faults/fault-fs/**"],
        },
      },
      {
        test: {
          name: "conformance",
          include: ["suites/**/*.test.ts", "harness/faults/fault-fs/**/*.test.ts"],
          globalSetup: ["suites/support/global-setup.ts"],
          setupFiles: ["suites/support/worker-setup.ts"],
          // Cases measure timing-sensitive loss windows: one at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
