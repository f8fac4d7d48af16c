// The verdict core only (`npm run mutate:core`, what .ci/run runs): the checkers, the gate's pass
// rule and documented bounds, the fault proofs. The whole set (`npm run mutate`, about 3,000 mutants)
// takes over an hour on a 2-core machine, more than a CI run has; this is about a third of it.
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
};
