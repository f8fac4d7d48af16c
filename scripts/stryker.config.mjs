// StrykerJS over the pure modules: `npm run mutate` (Node 20: Stryker 9.5.x; 10.x needs Node 22).
// Only the unit tests run (scripts/vitest.mutate.config.ts): the conformance project boots Docker.
// The run fails below `thresholds.break`.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner", "@stryker-mutator/typescript-checker"],
  // Mutants that do not type-check (e.g. `{}` for a required object) are compile errors, not survivors.
  checkers: ["typescript"],
  tsconfigFile: "scripts/tsconfig.mutate.json",
  vitest: { configFile: "scripts/vitest.mutate.config.ts", related: false },
  coverageAnalysis: "perTest",
  mutate: [
    // What the verdicts rest on: loss analysis, contracts, real-time order, the verdict itself.
    "harness/checkers/**/*.ts",
    "!harness/checkers/**/*.test.ts",
    "!harness/checkers/fixtures.ts",
    // The gate's reading of a redis.conf, its hazards, its pass rule and its directive-version table
    // (not the parts that run Docker: run-gate, redis-config-check, measure-shutdown).
    "harness/gate/parse-conf.ts",
    "harness/gate/multi-arg.ts",
    "harness/gate/effective-conf.ts",
    "harness/gate/explain-conf.ts",
    "harness/gate/hazards.ts",
    "harness/gate/fatal-config-error.ts",
    "harness/gate/documented-bound.ts",
    "harness/gate/gate-verdict.ts",
    "harness/gate/directive-versions.ts",
    "harness/gate/unknown-directive.ts",
    "harness/gate/server-version.ts",
    "harness/gate/offline-build-choice.ts",
    "harness/gate/conf-server-hint.ts",
    "harness/gate/finding-hazards.ts",
    "harness/gate/eviction-hazard.ts",
    "harness/gate/memory-bounds.ts",
    "harness/gate/redis-memory.ts",
    // The contracts, as data, and the proofs that a fault bit.
    "configs/*.ts",
    "!configs/*.test.ts",
    "harness/faults/process-proofs.ts",
    "harness/cell/fault-proofs.ts",
  ],
  ignorePatterns: ["reports", "artifacts", "dist", ".cache"],
  tempDirName: ".cache/stryker",
  cleanTempDir: true,
  concurrency: 2,
  // A cold start of a test runner after a timed-out mutant takes seconds on a loaded 2-core machine:
  // a short timeout makes the next mutants time out too.
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: 85 },
};
