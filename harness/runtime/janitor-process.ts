// Entry of the janitor: a detached process that outlives Ctrl-C of its owner, waits for the
// owner to exit, then removes what the owner's run left in the engine. Meanwhile it renews the
// run's lease, so a sweep from another host sharing the engine leaves the run alone.
import { dockerEngine } from "./docker-engine.js";
import { LEASE_RENEW_MS, renewLease, startLease } from "./lease.js";
import { processAlive } from "./process-alive.js";
import { sweep } from "./sweep.js";

const [ownerArg, runIdArg, leaseImage] = process.argv.slice(2);
const owner = Number(ownerArg);
const POLL_MS = 500;

if (!Number.isInteger(owner) || !runIdArg) {
  process.stderr.write("usage: janitor-process <owner-pid> <run-id> [lease-image]\n");
  process.exit(2);
}
const renewal = setInterval(() => {
  // A failed renewal is retried at the next tick; the TTL allows several misses.
  // A lease that lapsed (engine restarted, host suspended past the TTL) is taken again, so what the
  // run creates from now on is not another host's to remove.
  void dockerEngine()
    .then(async (docker) => {
      if ((await renewLease(docker, runIdArg)) === 0 && leaseImage) await startLease(docker, leaseImage);
    })
    .catch(() => undefined);
}, LEASE_RENEW_MS);
const timer = setInterval(() => {
  if (processAlive(owner)) return;
  clearInterval(timer);
  clearInterval(renewal);
  sweep({ kind: "run", runId: runIdArg }).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}, POLL_MS);
