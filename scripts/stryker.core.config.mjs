// The verdict core only (`npm run mutate:core`): the checkers, the gate's pass
// rule and documented bounds, the fault proofs. The whole set (`npm run mutate`, about 3,000 mutants)
// runs incrementally against a baseline in .ci/ when one is there (scripts/mutate.ts); this one tests
// every mutant of the core each time (58 min here with one test runner, string literals included).
import base from "./stryker.config.mjs";

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  ...base,
  mutate: [
    "harness/checkers/**/*.ts",
    "!harness/checkers/**/*.test.ts",
    "!harness/checkers/fixtures.ts",
    "harness/gate/gate-verdict.ts",
    "harness/gate/documented-bound.ts",
    "harness/faults/process-proofs.ts",
    "harness/cell/fault-proofs.ts",
  ],
  htmlReporter: { fileName: "reports/mutation-core/mutation.html" },
  jsonReporter: { fileName: "reports/mutation-core/mutation.json" },
  tempDirName: ".cache/stryker-core",
  incremental: false,
  // From scratch, static mutants included: the whole set leaves them out (see stryker.config.mjs).
  ignoreStatic: false,
};
