import { inject } from "vitest";

// Workers may start before the global setup decided these; labels and Ryuk must follow its decision.
process.env.REDIS_PERSISTENCE_RUN_ID = inject("runId");
process.env.REDIS_PERSISTENCE_OWNER_PID = String(inject("ownerPid"));
if (inject("ryukDisabled")) process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
