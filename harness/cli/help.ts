import { MODES } from "../../configs/modes.js";
import { NAMED_FAULTS } from "../faults/index.js";
import { DEFAULT_GATE_FAULTS } from "../gate/gate-faults.js";
import { VERSIONS } from "../runtime/versions.js";

/** `redis-persistence --help`. */
export const MAIN_HELP = `redis-persistence: measure how much acknowledged data Redis loses under real faults

Usage:
  redis-persistence matrix [options]        every persistence mode under every fault; writes a report
  redis-persistence gate --config <file> --max-loss <duration> [options]
                                            CI gate for a redis.conf: passes only if every measured loss is within the bound
  redis-persistence <command> --help        the options of one command

Exit codes: 0 pass, 1 a bound or contract broken, 2 usage or config error, 3 environment error (no Docker, no image), 130 interrupted.
Needs a Docker engine; everything it starts is labelled org.redis-persistence.suite and removed afterwards.
`;

/** `redis-persistence matrix --help`. */
export const MATRIX_HELP = `redis-persistence matrix: every mode under every fault, measured, with a recommendation

Usage: redis-persistence matrix [options]

Options:
  --modes <list>           modes to run (default: all): ${Object.keys(MODES).join(", ")}
  --faults <list>          faults to run (default: all; power-loss where FUSE works): ${Object.keys(NAMED_FAULTS).join(", ")}
  --image <name>           run on this image instead of the default (same as REDIS_IMAGE)
  --versions <list>        run on each of these server versions in turn and compare them side by side
                           (known: ${Object.keys(VERSIONS).join(", ")}); each runs its own image
                           (official, else built from Debian's packages); not with --image
  --dataset-size <MiB>     data preloaded in every case, so recovery is measured for it (default 64; short-grace needs 512)
  --repetitions <n>        run every case n times; figures then show min/median/max (default 1)
  --out <dir>              where report.json, report.md and report.html go (default reports/)
  --max-loss <duration>    for the recommendation: the loss you accept, e.g. 0, 500ms, 1s (default 1s)
  --min-throughput <n>     for the recommendation: writes per second you need, e.g. 5000 or 5k (default 5000)
  --skip-baseline          do not compare the harness writers with redis-benchmark
  -h, --help               this text

Exit codes: 0 report written and every contract held; 1 report written, some contract did not hold or
repetitions disagree; 2 usage error; 3 no Docker engine or no image; 130 interrupted (cleaned up).
`;

/** `redis-persistence gate --help`. */
export const GATE_HELP = `redis-persistence gate: does this redis.conf keep its loss within a bound? For CI.

Usage: redis-persistence gate --config <redis.conf> --max-loss <duration> [options]

Reads the config (line by line, as Redis does), says which persistence mode it amounts to and what
Redis promises for it, flags durability and security hazards with their line, asks Redis itself
whether it accepts the file, measures how long a shutdown takes, then runs the config under each
fault and measures what acknowledged writes were lost.

Options:
  --config <file>          the redis.conf to check (\`include\` lines are not supported: inline them)
  --max-loss <duration>    the loss you accept: 0 (nothing acknowledged), or a window such as 500ms, 1s, 2s
  --grace <duration>       the stop grace of your deployment (docker stop -t, stop_grace_period,
                           terminationGracePeriodSeconds) (default 10s)
  --faults <list>          faults to run (default: ${DEFAULT_GATE_FAULTS.join(", ")});
                           known: ${Object.keys(NAMED_FAULTS).join(", ")}
  --dataset-size <MiB>     data loaded before the shutdown measurement and each fault (default 64)
  --image <name>           the Redis image to run the config on (same as REDIS_IMAGE)
  --json                   print the result as JSON on stdout (progress stays on stderr)
  -h, --help               this text

The gate appends networking settings (bind, port, protected-mode, requirepass "", logfile "",
daemonize no) so the harness can connect; persistence settings are used exactly as written.

Exit codes: 0 every measured loss within the bound; 1 a bound broken; 2 usage error or a config
Redis rejects (the line and Redis's message are printed); 3 no Docker engine or no image;
130 interrupted (cleaned up).
`;
