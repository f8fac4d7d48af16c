import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deploymentStoragePlan } from "../cell/deployment-storage.js";
import { deploymentHazards } from "../gate/deployment-gate.js";
import type { Deployment } from "./deployment.js";
import { readDeployments } from "./read-deployments.js";
import { readShellScript } from "./shell-script.js";
import { removesIn, writesConfig } from "./start-commands.js";

const ROOT = "harness/deployment/fixtures";
const read = (name: string): Deployment[] => readDeployments([{ path: path.join(ROOT, name), text: readFileSync(path.join(ROOT, name), "utf8") }]).deployments;
const named = (name: string, deployment: string): Deployment => {
  const d = read(name).find((x) => x.name === deployment);
  if (!d) throw new Error(`no ${deployment} in ${name}`);
  return d;
};
const ids = (d: Deployment): string[] => d.findings.map((f) => f.id);
const names = { dbfilename: "dump.rdb", appendfilename: "appendonly.aof", appenddirname: "appendonlydir" };
const removes = (script: string, cwd = "/data"): string | undefined => {
  const [command] = readShellScript(script, {}).commands;
  if (!command) throw new Error(`no command in ${script}`);
  return removesIn(command, "/data", cwd, names);
};

describe("host RAM given as disk (compose/host-memory.yml, k8s/nfs-volume.yaml)", () => {
  it("a bind of /dev/shm, a volume bound to /dev/shm and a hostPath there survive a restart and a recreate, not a reboot, with a finding naming them", () => {
    for (const d of [named("compose/host-memory.yml", "redis"), named("compose/host-memory.yml", "queue"), named("k8s/nfs-volume.yaml", "Pod/redis-shm container redis")]) {
      expect(d.storage.survives, d.name).toEqual({ restart: true, recreate: true, reboot: false });
      expect(d.findings.find((f) => f.id === "storage-in-host-memory")?.message, d.name).toMatch(/host RAM \(\/dev\/shm\/redis.*a host reboot or a power cut loses every file/);
    }
  });

  it("a named volume of `type: ramfs` is a tmpfs", () => {
    expect(named("compose/host-memory.yml", "cache").storage).toMatchObject({ kind: "tmpfs", note: expect.stringMatching(/ramfs/) });
  });

  it("/run and /dev/shm itself are RAM; /srv/run is not", () => {
    const compose = (source: string): Deployment[] => readDeployments([{ path: "c.yml", text: `# t\nservices:\n  redis:\n    image: redis:7.2\n    volumes: ["${source}:/data"]\n` }]).deployments;
    expect(compose("/run/redis")[0]?.storage.survives?.reboot).toBe(false);
    expect(compose("/dev/shm")[0]?.storage.survives?.reboot).toBe(false);
    expect(compose("/srv/run")[0]?.storage.survives?.reboot).toBe(true);
  });
});

describe("commands that rewrite the config before the server (compose/rewrite-conf-before-server.yml)", () => {
  it("`echo ... >> redis.conf` and `sed -i` on it before `exec redis-server` are a danger that fails the gate", () => {
    for (const name of ["redis", "sed"]) {
      const d = named("compose/rewrite-conf-before-server.yml", name);
      expect(d.findings.find((f) => f.id === "start-rewrites-config")?.message, name).toMatch(/before redis-server: it changes the config file Redis reads .*not the ones the gate read/);
      expect(deploymentHazards(d).find((h) => h.id === "start-rewrites-config")?.failsGate, name).toBe(true);
    }
  });

  it("a start script that picks the server's settings at run time (if/else, case, `||`, `[ ... ] && FLAGS=`) is a danger that fails the gate", () => {
    for (const name of ["branch", "flags", "case", "fallback"]) {
      const d = named("compose/start-branches.yml", name);
      expect(d.findings.find((f) => f.id === "start-command-branches")?.message, name).toMatch(/decided when the container starts, and the gate read `redis-server --appendonly yes --appendfsync always`/);
      expect(deploymentHazards(d).find((h) => h.id === "start-command-branches")?.failsGate, name).toBe(true);
    }
    expect(named("compose/start-branches.yml", "flags").findings.find((f) => f.id === "start-command-branches")?.message).toMatch(/`\$FLAGS` in the server's command line is set on some paths only/);
  });

  it.each([
    ["empty-extra", /`\$EXTRA` in the server's command line/],
    ["copied-var", /`\$ARGS`|`\$AO`/],
    ["cp-branches", /`cp` into \/etc\/redis.conf copies a file chosen at run time/],
    ["braces", /starts the server in 2 different ways/],
    ["probe", /starts the server in 2 different ways/],
    ["other-exec", /may exec `docker-entrypoint.sh redis-server --save {2}--appendonly no` instead/],
    ["sourced-env", /`\$APPENDONLY` in the server's command line/],
    ["function", /uses a shell function, which the reader does not follow/],
    ["set-args", /`\$@` in the server's command line/],
    ["read-var", /`\$AOF` in the server's command line/],
    ["warm-up", /starts the server 2 times with different settings, one after another/],
  ])("the shapes a second and third review found (%s) fail the gate too", (name, why) => {
    const d = named("compose/start-branches.yml", name);
    expect(d.findings.find((f) => f.id === "start-command-branches")?.message).toMatch(why);
    expect(deploymentHazards(d).find((h) => h.id === "start-command-branches")?.failsGate).toBe(true);
  });

  it.each([
    ["runuser", "start-command-branches", /may exec `runuser -u redis -- redis-server --save {2}--appendonly no` instead/],
    ["runuser-no-exec", "start-command-branches", /starts the server through `runuser -u redis -- redis-server --appendonly no`/],
    ["exec-a", "start-command-branches", /starts the server in 2 different ways/],
    ["wrapper-entry", "start-command-branches", /may exec `docker-entrypoint.sh redis-server --save {2}--appendonly no` instead/],
    ["nested-start", "start-command-branches", /runs `\/conf\/cache-start.sh` before the server/],
    ["cd-tmp", "dir-not-on-storage", /Redis writes to \/tmp/],
    ["pushd", "dir-not-on-storage", /Redis writes to \/srv/],
    ["cd-conditional", "unknown-server-setting", /`cd \/tmp` before the server: the directory it starts in cannot be known here/],
    ["array-element", "start-command-branches", /an assignment to an array element/],
    ["default-uncertain", "start-command-branches", /`\$DEFAULT` in the server's command line is set on some paths only/],
    ["alias", "start-command-branches", /uses `alias`/],
    ["export-nested", "unknown-server-setting", /`\$AOF` in the server's command line cannot be known here/],
    ["cp-into-dir", "start-rewrites-config", /cp \/conf\/profile.conf \/usr\/local\/etc\/redis\//],
    ["gosu-sed", "start-rewrites-config", /gosu redis sed -i/],
    ["curl-config", "start-rewrites-config", /curl -fsSo/],
    ["redirect-both", "start-rewrites-config", />& \/usr\/local\/etc\/redis\/redis.conf/],
    ["tilde", "unknown-server-setting", /`~\/data`/],
    ["process-substitution", "unknown-server-setting", /`<\(cat \/conf\/cache.conf\)`/],
    ["cli-config-set", "start-command-branches", /`redis-cli config set appendonly no` changes the settings/],
    ["after-password", "unknown-server-setting", /`\$\(cat \/conf\/extra.flags\)`/],
    ["nested-default", "unknown-server-setting", /`\$\{B:-always\}`/],
    ["ifs", "start-command-branches", /a change of `IFS`/],
    ["pushd-append", "start-rewrites-config", /echo appendonly no >> redis.conf/],
    ["exec-first", "start-command-branches", /may exec `\/usr\/local\/bin\/start-redis` instead \(before the server's line\)/],
    ["exec-bin", "start-command-branches", /may exec `\$\(command -v redis-server\) --save {2}--appendonly no` instead/],
  ])("the shapes a fourth review found (%s) fail the gate", (name, id, why) => {
    const d = named("compose/start-review-4.yml", name);
    const hazard = deploymentHazards(d).find((h) => h.id === id);
    expect(hazard?.failsGate, JSON.stringify(d.findings.map((f) => f.id))).toBe(true);
    expect(d.findings.find((f) => f.id === id)?.message).toMatch(why);
  });

  it("the fourth review's shapes that are read as what runs: `+=`, `env NAME=value`, a prefix assignment, VALKEY_EXTRA_FLAGS from `env`; `echo redis-server` starts nothing, a `cd` in a subshell moves nothing, a here-document's body runs nothing", () => {
    const lastAppendonly = (name: string): string | undefined => named("compose/start-review-4.yml", name).directives.filter((x) => x.name === "appendonly").at(-1)?.args[0];
    for (const name of ["string-append", "env-nested", "prefix-nested", "valkey-env"]) expect(lastAppendonly(name), name).toBe("no");
    for (const name of ["echo-name", "subshell-cd", "heredoc"]) expect(deploymentHazards(named("compose/start-review-4.yml", name)).filter((h) => h.failsGate), name).toEqual([]);
    expect(named("compose/start-review-4.yml", "string-append").argv).toEqual(["redis-server", "--appendonly", "yes", "--appendfsync", "always", "--appendonly", "no"]);
  });

  it.each([
    ["prefix-unknown", "unknown-server-setting", /`\$DATA` in the server's command line cannot be known here/],
    ["heredoc-shell", "start-command-branches", /`sh` reads commands from a here-document, a pipe or a file/],
    ["pipe-cli", "start-command-branches", /`redis-cli` reads commands from a here-document, a pipe or a file/],
    ["subshell-server-cd", "start-command-branches", /the server starts in a subshell after `cd \/tmp`/],
    ["cd-dashdash", "dir-not-on-storage", /Redis writes to \/tmp/],
    ["pushd-n", "unknown-server-setting", /`pushd -n \/tmp` before the server/],
  ])("what a fifth review found (%s) fails the gate", (name, id, why) => {
    const d = named("compose/start-review-5.yml", name);
    expect(deploymentHazards(d).find((h) => h.id === id)?.failsGate, JSON.stringify(d.findings.map((f) => f.id))).toBe(true);
    expect(d.findings.find((f) => f.id === id)?.message).toMatch(why);
  });

  it.each([
    ["fallthrough-cd", "start-command-branches", /`cd \/data` runs on some paths only before one of 2 server lines/],
    ["include-glob-cp", "start-rewrites-config", /cp \/conf\/profile.conf \/usr\/local\/etc\/redis\/conf.d\//],
    ["brace-cp", "start-rewrites-config", /cp \/conf\/\{cache,durable\}.conf/],
    ["nested-sed", "start-command-branches", /runs `\/conf\/nested-sed.sh` before the server/],
    ["nested-heredoc", "start-command-branches", /runs `\/conf\/nested-heredoc.sh` before the server/],
    ["nested-cfg", "start-command-branches", /runs `\/conf\/nested-cfg.sh` before the server/],
    ["sourced-cd", "start-command-branches", /runs `. \/conf\/prep-cd.sh` before the server/],
    ["sh-argument", "start-command-branches", /runs `sh \/conf\/cache-start.sh` before the server/],
    ["nested-dd", "start-command-branches", /runs `\/conf\/prep-dd.sh` before the server/],
    ["trap-exec", "start-command-branches", /starts the server through `trap exec redis-server/],
    ["exec-empty-var", "start-command-branches", /may exec `` instead/],
  ])("what a sixth review found (%s) fails the gate", (name, id, why) => {
    const d = named("compose/start-review-6.yml", name);
    expect(deploymentHazards(d).find((h) => h.id === id)?.failsGate, JSON.stringify(d.findings.map((f) => f.id))).toBe(true);
    expect(d.findings.find((f) => f.id === id)?.message).toMatch(why);
  });

  it.each(["exec-log", "mkdir-cd", "fix-perms", "command-v", "trap", "cp-acl", "cluster-host"])("an ordinary start command a fifth review found flagged (%s) passes", (name) => {
    const d = named("compose/start-review-5.yml", name);
    expect(deploymentHazards(d).filter((h) => h.failsGate).map((h) => h.id)).toEqual([]);
    if (name === "mkdir-cd") expect(d.dataDir.path).toBe("/data/redis");
  });

  it("an unknown value where a durability setting goes, and a write into an included directory, fail the gate (found by review)", () => {
    const unknown = named("compose/start-branches.yml", "unknown-value");
    expect(unknown.findings.find((f) => f.id === "unknown-server-setting")?.message).toMatch(/`\$REDIS_FSYNC` in the server's command line cannot be known here/);
    expect(deploymentHazards(unknown).find((h) => h.id === "unknown-server-setting")?.failsGate).toBe(true);
    expect(deploymentHazards(named("compose/start-branches.yml", "write-include-dir")).find((h) => h.id === "start-rewrites-config")?.failsGate).toBe(true);
    // A password from an unset variable changes no bound: a warning, not a failure.
    expect(ids(named("compose/start-branches.yml", "password-file"))).not.toContain("unknown-server-setting");
  });

  it("a wait loop before the server, a password given on some paths only, or the entrypoint running itself again, is not a branch", () => {
    for (const name of ["wait-then-start", "password-file", "password-if-else", "password-args", "re-exec"]) expect(ids(named("compose/start-branches.yml", name)), name).not.toContain("start-command-branches");
  });

  it("copying the config elsewhere only reads it: not a danger", () => {
    const d = named("compose/rewrite-conf-before-server.yml", "copied-elsewhere");
    expect(ids(d)).not.toContain("start-rewrites-config");
    expect(deploymentHazards(d).filter((h) => h.failsGate)).toEqual([]);
  });

  const CONF = ["/etc/redis/redis.conf"];
  const writes = (script: string, cwd = "/"): string | undefined => {
    // A pipeline's last command is the one that writes (`echo x | tee -a ...`).
    const command = readShellScript(script, {}).commands.at(-1);
    if (!command) throw new Error(`no command in ${script}`);
    return writesConfig(command, CONF, cwd);
  };
  it.each([
    ["echo 'appendonly no' >> /etc/redis/redis.conf", true],
    ["printf 'save \"\"\\n' > /etc/redis/redis.conf", true],
    ["envsubst < /tmp/t.conf > /etc/redis/redis.conf", true],
    ["echo x | tee -a /etc/redis/redis.conf", true],
    ["sed -i 's/yes/no/' /etc/redis/redis.conf", true],
    ["sed -i.bak 's/yes/no/' /etc/redis/redis.conf", true],
    ["perl -pi -e 's/yes/no/' /etc/redis/redis.conf", true],
    ["cat > /etc/redis/redis.conf", true],
    ["cp /tmp/other.conf /etc/redis/redis.conf", true],
    ["cp /tmp/other.conf redis.conf", true, "/etc/redis"],
    ["echo x >> $REDIS_CONF", true],
    ["sed 's/yes/no/' /etc/redis/redis.conf", false],
    ["cat /etc/redis/redis.conf", false],
    ["cp /etc/redis/redis.conf /tmp/backup.conf", false],
    ["echo x >> /etc/redis/other.txt", false],
  ] as [string, boolean, string?][])("`%s` writes the config: %s", (script, expected, cwd = "/") => {
    expect(writes(script, cwd) !== undefined).toBe(expected);
  });

  it("a copy onto the config that the launch reader followed is read from its source: not a rewrite", () => {
    const [command] = readShellScript("cp /mounted/redis.conf /etc/redis/redis.conf", {}).commands;
    if (!command) throw new Error("no command");
    expect(writesConfig(command, CONF, "/", new Map([["/etc/redis/redis.conf", "/mounted/redis.conf"]]))).toBeUndefined();
    expect(writesConfig(command, CONF, "/")).toBeDefined();
  });
});

describe("commands before the server (compose/rm-before-server.yml)", () => {
  it("`rm -rf /data/*` before `exec redis-server` is a danger; `mkdir -p` is named, not judged", () => {
    expect(named("compose/rm-before-server.yml", "redis").findings.find((f) => f.id === "start-empties-data-dir")?.message).toMatch(/runs `rm -rf \/data\/\*` before redis-server: every start empties the data dir \/data/);
    const warm = named("compose/rm-before-server.yml", "warm");
    expect(ids(warm)).not.toContain("start-empties-data-dir");
    expect(warm.findings.find((f) => f.id === "commands-before-server")?.message).toMatch(/runs `mkdir -p \/data\/backup` before redis-server: not judged/);
  });

  it.each([
    ["rm -rf /data/*", true],
    ["rm -rf /data", true],
    ["rm -f /data/dump.rdb", true],
    ["rm -rf *", true],
    ["rm -rf /", true],
    ["mv /data/appendonlydir /tmp/old", true],
    ["truncate -s 0 /data/appendonly.aof", true],
    [": > /data/dump.rdb", true],
    ["> /data/dump.rdb", true],
    ["find /data -mindepth 1 -delete", true],
    ["find . -exec rm -rf {} +", true],
    ["echo started >> /data/dump.rdb", false],
    ["rm -rf /data/lost+found", false],
    ["rm -f /data/*.tmp", false],
    ["rm -rf /tmp/*", false],
    ["cp /seed/redis.conf /data/redis.conf", false],
    ["find /data -name x", false],
  ])("`%s` removes Redis's files in /data: %s", (script, expected) => {
    expect(removes(script) !== undefined).toBe(expected);
  });

  it("reads an entrypoint script it can read: the commands before its redis-server count", () => {
    const text = `# t\nservices:\n  redis:\n    image: redis:7.2\n    entrypoint: ["/scripts/start.sh"]\n    volumes: ["redis-data:/data", "./start.sh:/scripts/start.sh"]\nvolumes:\n  redis-data:\n`;
    const set = readDeployments([
      { path: "t/c.yml", text },
      { path: "t/start.sh", text: "#!/bin/sh\nset -e\ncd /data\nrm -f appendonlydir/*\nexec redis-server --appendonly yes\n" },
    ]);
    expect(set.deployments[0]?.findings.find((f) => f.id === "start-empties-data-dir")?.message).toMatch(/the shell runs `rm -f appendonlydir\/\*` before redis-server \(in \/scripts\/start\.sh\): every start empties/);
  });
});

describe("Kubernetes initContainers (k8s/init-container-cleanup.yaml)", () => {
  it("one that empties the claim (mounted elsewhere) is a danger; others on the data volume are named", () => {
    const d = named("k8s/init-container-cleanup.yaml", "StatefulSet/redis container redis");
    const danger = d.findings.filter((f) => f.id === "init-container-empties-data-dir");
    expect(danger).toHaveLength(1);
    expect(danger[0]?.message).toMatch(/initContainer reset .* at \/mnt\/redis and runs `sh -c "rm -rf \/mnt\/redis\/\*"`.*every new pod empties the claim/);
    const warned = d.findings.filter((f) => f.id === "init-container-on-data").map((f) => f.message);
    expect(warned).toEqual([expect.stringMatching(/initContainer cleanup-lost-found .*`sh -c "rm -rf \/data\/lost\+found"`/), expect.stringMatching(/initContainer volume-permission-fix .*`\/bin\/chmod -R 777 \/data`/)]);
  });
});

describe("a mount below the data dir (compose/aof-dir-tmpfs.yml, k8s/aof-dir-emptydir.yaml)", () => {
  it("the AOF dir on other storage is a danger naming both mounts", () => {
    expect(named("compose/aof-dir-tmpfs.yml", "redis").findings.find((f) => f.id === "data-dir-split-across-mounts")?.message).toMatch(/named-volume redis-data at \/data .*\/data\/appendonlydir is on the tmpfs at \/data\/appendonlydir.*cross-device/);
    expect(named("k8s/aof-dir-emptydir.yaml", "Deployment/redis container redis").findings.find((f) => f.id === "data-dir-split-across-mounts")?.message).toMatch(/pvc redis-data at \/data .*empty-dir-memory aof at \/data\/appendonlydir/);
  });

  it("a directory below it holding no file of Redis's is a warning; a config file mounted there is nothing", () => {
    const text = `# t\nservices:\n  redis:\n    image: redis:7.2\n    volumes: ["redis-data:/data", "backups:/data/backups", "./redis.conf:/data/redis.conf"]\nvolumes:\n  redis-data:\n  backups:\n`;
    const d = readDeployments([
      { path: "t/c.yml", text },
      { path: "t/redis.conf", text: "appendonly yes\n" },
    ]).deployments[0] as Deployment;
    expect(d.findings.filter((f) => /mount/.test(f.id)).map((f) => [f.id, f.severity, f.message.includes("/data/backups")])).toEqual([["mount-under-data-dir", "warning", true]]);
  });
});

describe("reader gaps", () => {
  it("an nfs volume at /data is storage of an unknown kind, not nothing mounted", () => {
    const d = named("k8s/nfs-volume.yaml", "Pod/redis-nfs container redis");
    expect(d.storage).toMatchObject({ kind: "unknown", mountPath: "/data", note: expect.stringMatching(/nfs/) });
    expect(d.dataDir.onStorage).toBe(true);
    expect(ids(d)).not.toContain("no-storage");
  });

  it("an nfs volume at another path holding the data dir is not read as \"a new container starts empty\"", () => {
    const text = readFileSync(path.join(ROOT, "k8s/nfs-volume.yaml"), "utf8").split("\n---\n")[0]?.replaceAll("mountPath: /data", "mountPath: /srv/redis").replace('"--appendonly"', '"--dir", "/srv/redis", "--appendonly"') ?? "";
    const [d] = readDeployments([{ path: "nfs.yaml", text }]).deployments;
    expect(d?.storage).toMatchObject({ kind: "unknown", mountPath: "/srv/redis" });
    expect(deploymentHazards(d as Deployment).map((h) => h.id)).not.toContain("no-storage");
    expect(deploymentStoragePlan(d as Deployment).unreproducible).toMatch(/nfs volume/);
  });

  it("volumes_from is said not to be followed", () => {
    expect(named("compose/volumes-from.yml", "redis").findings.find((f) => f.id === "volumes-from-not-followed")).toMatchObject({ severity: "warning", message: expect.stringMatching(/`volumes_from: redis-data` is not followed/) });
  });
});
