// StrykerJS over the pure modules: `npm run mutate` (scripts/mutate.ts runs it incrementally against
// the baseline in .ci/; Node 20: Stryker 9.5.x, 10.x needs Node 22).
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
  // A static mutant (module-level code, run only while a file loads: the contract and directive
  // tables, the memory units) needs every unit test rerun in a fresh vitest worker, about 30 s each
  // here against a few seconds for the others. They are left out; the README says how many and what
  // holds those tables instead (and what does not). `npm run mutate:core` still tests them.
  ignoreStatic: true,
  // String literals here are messages and citations. The strings that decide (contract kinds, fault
  // and mode names) are literal types, so a mutated one does not compile, and every comparison with
  // one is mutated by the equality and conditional mutators. Mutating the messages tested wording at
  // the cost of the whole unit suite per mutant of module-level text (the contract tables).
  mutator: { excludedMutations: ["StringLiteral"] },
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
  // Stryker makes ceil(n/2) checkers and floor(n/2) test runners (concurrency-token-provider.js): 3
  // made two checkers and one runner, the bottleneck (measured); 4 makes two of each.
  concurrency: 4,
  // A mutant whose code and covering tests are unchanged since the committed baseline keeps its
  // result; scripts/mutate.ts drops from the baseline what depends on other changed imports.
  incremental: true,
  incrementalFile: ".ci/stryker-incremental.json",
  // A cold start of a test runner after a timed-out mutant takes seconds on a loaded 2-core machine:
  // a short timeout makes the next mutants time out too.
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: 85 },
};
