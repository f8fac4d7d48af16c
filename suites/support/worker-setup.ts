import { inject } from "vitest";
import { OPEN_SESSION_ENV } from "../../harness/runtime/session.js";

// Workers may start before the global setup decided these; labels and Ryuk must follow its decision.
process.env.REDIS_PERSISTENCE_RUN_ID = inject("runId");
process.env.REDIS_PERSISTENCE_OWNER_PID = String(inject("ownerPid"));
// The global setup's session is open for the whole run: a command a test runs in-process joins it.
process.env[OPEN_SESSION_ENV] = inject("runId");
if (inject("ryukDisabled")) process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
