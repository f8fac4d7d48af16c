import type { Fault } from "./fault.js";

/** A stop grace shorter than the final save of a large dataset, in ms. */
export const SHORT_GRACE_MS = 1_000;

/** `docker stop -t 1` on a dataset whose shutdown SAVE takes longer: SIGKILL lands mid-save. */
export const shortGrace: Fault = {
  name: "short-grace",
  description: "SIGTERM with 1 s grace while the shutdown save takes longer, then start the same container",
  // Measured here: a 512 MiB dataset takes about 3.3 s to SAVE, three times the grace.
  datasetMiB: 512,
  inject: (node) => node.stop(SHORT_GRACE_MS),
  heal: async (node) => ({ node, recoveryMs: await node.startAgain() }),
};
