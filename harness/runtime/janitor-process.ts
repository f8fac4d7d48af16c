// Entry of the janitor: a detached process that outlives Ctrl-C of its owner, waits for the
// owner to exit, then removes what the owner's run left in the engine.
import { processAlive } from "./process-alive.js";
import { sweep } from "./sweep.js";

const [ownerArg, runIdArg] = process.argv.slice(2);
const owner = Number(ownerArg);
const POLL_MS = 500;

if (!Number.isInteger(owner) || !runIdArg) {
  process.stderr.write("usage: janitor-process <owner-pid> <run-id>\n");
  process.exit(2);
}
const timer = setInterval(() => {
  if (processAlive(owner)) return;
  clearInterval(timer);
  sweep({ kind: "run", runId: runIdArg }).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}, POLL_MS);
