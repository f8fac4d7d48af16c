import { MODES } from "../../configs/modes.js";
import { NAMED_FAULTS } from "../faults/index.js";
import { DEFAULT_GATE_FAULTS } from "../gate/gate-faults.js";
import { VERSIONS } from "../runtime/versions.js";

/** `redis-persistence --help`. */
export const MAIN_HELP = `redis-persistence: measure how much acknowledged data Redis loses under real faults

Usage:
  redis-persistence matrix [options]        every persistence mode under every fault; writes a report
  redis-persistence gate <file>... --max-loss <duration> [options]
                                            CI gate for a redis.conf, compose file or Kubernetes manifests: passes only if Redis's documented worst case
                                            and every measured loss are within the bound
  redis-persistence merge <dir>... --out <dir>
                                            joins the reports of \`matrix --shard K/N\` (one per CI job) into one report
  redis-persistence <command> --help        the options of one command

Exit codes: 0 pass, 1 a bound or contract broken, 2 usage or config error, 3 environment error (no Docker, no image), 130 interrupted.
Needs a Docker engine; everything it starts is labelled org.redis-persistence.suite and removed afterwards.
`;

/** `redis-persistence matrix --help`. */
export const MATRIX_HELP = `redis-persistence matrix: every mode under every fault, measured, with a recommendation

Usage: redis-persistence matrix [options]

Options:
  --modes <list>           modes to run (default: all): ${Object.keys(MODES).join(", ")}
  --faults <list>          faults to run (default: all but the memory faults; power-loss where FUSE works):
                           ${Object.keys(NAMED_FAULTS).join(", ")}
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
  --graces <list>          also sweep the stop grace (opt-in): for each mode with a final save (rdb, rdb-aof),
                           each --dataset-sizes and each grace in whole seconds (e.g. 0,1,2,5,10,30), stop
                           while writing and measure the shutdown, whether the final save completed, the loss
                           and the recovery; the report then says "for N MiB on this disk, give at least X s".
                           Prints its expected duration first (a 1 GiB stop takes ~30-50 s here); not with --versions
  --dataset-sizes <list>   the grace sweep's dataset sizes in MiB, e.g. 64,256,1GiB (default: --dataset-size)
  --topology <name>        single (default: one server) or sentinel: a primary, two replicas and three
                           Sentinels (quorum 2) on their own network, every node on the mode's config;
                           --faults then names failover faults (default: all but the opt-in ones):
                           primary-kill, primary-partition, primary-partition-long (opt-in: the partition held
                           about 15 s), primary-restart-empty, primary-graceful-stop (SIGTERM,
                           7.0+), primary-graceful-failover (FAILOVER, 6.2+), sentinel-failover; --modes defaults to aof-everysec (plus none under
                           primary-restart-empty); no --versions, --graces or --dataset-size
  --acks <list>            with --topology sentinel: what acknowledged means (default: reply,wait-1): reply (the
                           SET's reply), wait-1 (a WAIT 1 after it reports a replica within 1 s), waitaof-1-1
                           (a WAITAOF 1 1 after it reports the write fsynced on the primary and a replica within
                           1 s; Redis 7.2+ or Valkey, an AOF mode: refused with the reason otherwise;
                           on everysec most writes wait for the once-a-second fsync: use aof-always)
  --min-replicas <list>    with --topology sentinel: each mode also runs with min-replicas-to-write 1 and each
                           min-replicas-max-lag (whole seconds), e.g. 2,10: rows "aof-everysec+min-replicas-2s";
                           a partition under reply is then held to max-lag + 1 s and must show NOREPLICAS
                           refusals; use --faults primary-partition-long (Sentinel detects after 14 s: the
                           knob acts first; under primary-partition the failover usually comes first: unknown)
  --deployment <file>      instead of the modes: the files you deploy (compose files, Kubernetes manifests, the
                           redis.conf they mount; repeatable), read as \`gate\` reads them; each Redis or Valkey
                           server in them is a row ("compose.yml:redis") on its own settings, stop grace and
                           image, held to Redis's documented bound for those settings and that storage;
                           not with --modes, --versions, --graces or --topology
  --service <name>         with --deployment: only this compose service (or Kubernetes workload)
  --env <KEY=VALUE>        with --deployment: fills compose's \${VAR} (repeatable)
  --grace <duration>       with --deployment: the stop grace instead of the deployment's
  --shard <K/N>            run only shard K of N (every N-th cell, from the K-th; each row's baseline in one
                           shard) and write a partial report; \`redis-persistence merge\` joins the N reports.
                           Deterministic: the same options give the same slices. Not with --graces or --topology sentinel
  --parallel <n>           run n cells at once (default 1); the baseline and the grace sweep still run alone.
                           Each cell needs about two cores: above that it warns that windows and rates are
                           measured under contention. Not with --topology sentinel
  -h, --help               this text

Exit codes: 0 report written and every contract held; 1 report written, some contract did not hold or
repetitions disagree; 2 usage error; 3 no Docker engine or no image; 130 interrupted (cleaned up).
`;

/** `redis-persistence merge --help`. */
export const MERGE_HELP = `redis-persistence merge: join the partial reports of a sharded matrix into one report

Usage: redis-persistence merge <dir>... [--out <dir>]

Each <dir> is the --out directory of one \`matrix --shard K/N\` run (or its report.json). Every shard
of the one N must be there, each once, from the same tool version, plan, images and options; merge
refuses anything else with the reason. The merged report.json, report.md and report.html hold the
same cells, in the same order and with the same verdicts, as one unsharded run would; each cell's
figures are as its shard measured them; the recommendation and the version comparison are worked
out again over all cells. Needs no Docker.

Options:
  --out <dir>              where the merged report goes (default reports/; not a shard's directory)
  -h, --help               this text

Exit codes: 0 merged and every contract held; 1 merged, some contract did not hold (or a deployed
row has a danger the gate fails); 2 usage error or shards that cannot be joined.
`;

/** `redis-persistence gate --help`. */
export const GATE_HELP = `redis-persistence gate: does this deployment keep its loss within a bound? For CI.

Usage: redis-persistence gate <file>... --max-loss <duration> [options]
       redis-persistence gate --command "redis-server ..." --max-loss <duration> [options]

The files are what you deploy, their kind read from their content: a redis.conf or valkey.conf,
compose files, Kubernetes manifests (Helm: the output of \`helm template\`), and the config files,
ConfigMaps and env files they mount. Every Redis or Valkey service in them is judged on its own
effective settings (the config file with its includes, then the flags of its command), its storage
(no named volume, a tmpfs or an emptyDir under \`dir\` fails the gate by itself: a new container
starts empty), its stop grace (compose's stop_grace_period, default 10 s; Kubernetes'
terminationGracePeriodSeconds, default 30 s) and its PID 1 (a \`sh -c\` that does not exec never
passes SIGTERM on: every stop is a kill). The worst service decides.

Reads the config (line by line, as Redis does), says which persistence mode it amounts to and what
Redis promises for it, flags durability and security hazards with their line, asks Redis itself
whether it accepts the file, measures how long a shutdown takes, then runs the config under each
fault and measures what acknowledged writes were lost. Each fault passes only when both Redis's
documented worst case for it and the measured loss are within --max-loss; the line says which of the
two decided. Persistence off, or a \`dir\` off the volume, fails the gate by itself.

Options:
  --config <file>          a file to check, same as giving it as an argument (repeatable); a single
                           redis.conf without \`include\` is read line by line, as before
  --service <name>         judge only this compose service (or Kubernetes workload or container)
  --command <line>         judge a command line, e.g. "redis-server /etc/redis.conf --appendonly yes"
                           (its config file among the files given)
  --env <KEY=VALUE>        a variable for compose's \${VAR} interpolation (repeatable; the shell's
                           environment is used too, as compose does)
  --max-loss <duration>    the loss you accept: 0 (nothing acknowledged), or a window such as 500ms, 1s, 2s
  --grace <duration>       the stop grace (default: the deployment's own; 10s for a bare redis.conf);
                           overrides stop_grace_period / terminationGracePeriodSeconds
  --faults <list>          faults to run (default: ${DEFAULT_GATE_FAULTS.join(", ")});
                           known: ${Object.keys(NAMED_FAULTS).join(", ")}
  --dataset-size <MiB>     data loaded before the shutdown measurement and each fault (default 64)
  --image <name>           the Redis image to run on (same as REDIS_IMAGE; default: the image the
                           deployment names when it is here or can be pulled, else the offline build
                           of the same server and major.minor, else the nearest one that knows every
                           directive the config uses; a bare redis.conf or valkey.conf runs on the
                           server its content names (Valkey-only directives, valkey.conf's first line)
                           and a stock file on the build of its release; the output says which
                           version the verdict is for); a directive this
                           image's version does not know is reported as "needs Redis >= X", with the
                           images of the versions this suite knows (${Object.keys(VERSIONS).filter((v) => v !== "default").join(", ")})
  --json                   print the result as JSON on stdout (schema version 2; progress stays on stderr):
                           one report, or {passed, services: [report...]} when several servers are judged
  -h, --help               this text

The gate appends networking settings (bind, port, protected-mode, requirepass "", logfile "",
daemonize no) so the harness can connect; persistence settings are used exactly as written. For a
deployment it also appends \`dir /data\` (the harness's volume): its own \`dir\` and storage are judged
from the files, not by running them.

Exit codes: 0 every fault within the bound, documented and measured; 1 a bound broken (or a hazard
that defeats it, in any service); 2 usage error, a deployment that cannot be read (YAML error with
file:line:column, no Redis service, a ConfigMap or file not given, an unrendered template), a config
Redis rejects, or a directive this image does not know (the line and the message are printed); 3 no Docker engine, no image, or power-loss asked for where it
cannot run; 130 interrupted (cleaned up).
`;
