import { describe, expect, it } from "vitest";
import type { Deployment } from "./deployment.js";
import { parseImageRef } from "./image-ref.js";
import { imageTraits } from "./image-traits.js";
import type { Launch } from "./launch.js";
import { followLaunch } from "./launch.js";
import { readDeployments } from "./read-deployments.js";

const official = imageTraits(parseImageRef("redis:7.2"));
const follow = (argv: string[], scripts: Record<string, string> = {}, env: Record<string, string> = {}): Launch => followLaunch(argv, official, env, (p) => scripts[p], "here");
const server = (launch: Launch) => {
  if (launch.kind !== "server") throw new Error(`not a server: ${JSON.stringify(launch)}`);
  return { argv: launch.argv, process: launch.pid1.process, sigterm: launch.pid1.sigterm };
};

describe("followLaunch", () => {
  it("goes through the official entrypoint (which execs) to redis-server as PID 1", () => {
    expect(server(follow(["docker-entrypoint.sh", "redis-server", "--appendonly", "yes"]))).toEqual({ argv: ["redis-server", "--appendonly", "yes"], process: "redis-server", sigterm: "reaches-server" });
    expect(server(follow(["docker-entrypoint.sh", "/etc/redis.conf"])).argv).toEqual(["redis-server", "/etc/redis.conf"]);
  });

  it("appends VALKEY_EXTRA_FLAGS as Valkey's entrypoint does", () => {
    const valkey = imageTraits(parseImageRef("valkey/valkey:8.1"));
    const launch = followLaunch(["docker-entrypoint.sh", "valkey-server"], valkey, { VALKEY_EXTRA_FLAGS: "--appendonly yes" }, () => undefined, "here");
    expect(server(launch).argv).toEqual(["valkey-server", "--appendonly", "yes"]);
  });

  it("sees through exec wrappers: gosu, su-exec, setpriv, env", () => {
    expect(server(follow(["gosu", "redis", "redis-server", "--port", "1"])).argv).toEqual(["redis-server", "--port", "1"]);
    expect(server(follow(["su-exec", "redis:redis", "redis-server"])).process).toBe("redis-server");
    expect(server(follow(["setpriv", "--reuid", "redis", "--", "redis-server"])).argv).toEqual(["redis-server"]);
    expect(server(follow(["env", "A=1", "redis-server"])).argv).toEqual(["redis-server"]);
  });

  it("tini forwards SIGTERM to its child; with a shell in between, only tini -g or dumb-init reach the server", () => {
    expect(server(follow(["tini", "--", "redis-server"]))).toMatchObject({ process: "tini", sigterm: "reaches-server" });
    expect(server(follow(["tini", "--", "sh", "-c", "mkdir -p /d; redis-server"]))).toMatchObject({ process: "tini", sigterm: "never" });
    expect(server(follow(["tini", "-g", "--", "sh", "-c", "mkdir -p /d; redis-server"])).sigterm).toBe("reaches-server");
    expect(server(follow(["dumb-init", "sh", "-c", "mkdir -p /d; redis-server"])).sigterm).toBe("reaches-server");
  });

  it("bash -c with a single command execs it; sh -c may not; more commands never", () => {
    expect(server(follow(["bash", "-c", "redis-server --port 1"]))).toMatchObject({ process: "redis-server", sigterm: "reaches-server" });
    expect(server(follow(["sh", "-c", "redis-server --port 1"]))).toMatchObject({ process: "sh -c", sigterm: "maybe" });
    expect(server(follow(["sh", "-c", "redis-server --port 1 &\nwait"]))).toMatchObject({ sigterm: "never" });
    expect(server(follow(["sh", "-c", "exec gosu redis redis-server"]))).toMatchObject({ process: "redis-server", sigterm: "reaches-server" });
  });

  it("reads a start script it can find (a ConfigMap), with its positional arguments", () => {
    const scripts = { "/scripts/start.sh": '#!/bin/sh\nset -e\nexec redis-server "$@" --appendonly yes\n' };
    expect(server(follow(["/scripts/start.sh", "--port", "7000"], scripts))).toEqual({ argv: ["redis-server", "--port", "7000", "--appendonly", "yes"], process: "redis-server", sigterm: "reaches-server" });
    expect(server(follow(["bash", "-c", "/scripts/start.sh"], scripts)).sigterm).toBe("reaches-server");
    const noExec = { "/scripts/start.sh": "#!/bin/sh\nredis-server --appendonly yes\n" };
    expect(server(follow(["/scripts/start.sh"], noExec))).toMatchObject({ process: "start.sh (run by its #! shell)", sigterm: "maybe" });
  });

  it("is not a server for redis-cli, Sentinel, or a script it cannot read", () => {
    expect(follow(["redis-cli", "ping"])).toMatchObject({ kind: "other", reason: "runs `redis-cli`, not redis-server or valkey-server" });
    expect(follow(["redis-server", "/etc/sentinel.conf", "--sentinel"])).toMatchObject({ kind: "other", reason: "runs Sentinel, which keeps no data of its own" });
    expect(follow(["/custom/start.sh"])).toMatchObject({ kind: "other" });
  });
});

describe("PID 1 in compose", () => {
  it("`init: true` puts docker-init (tini) first", () => {
    const d = readDeployments([{ path: "c.yml", text: "services:\n  r:\n    image: redis:7.2\n    init: true\n    command: ['sh', '-c', 'echo start; redis-server']\n    volumes: ['data:/data']\nvolumes:\n  data:\n" }]).deployments[0] as Deployment;
    expect(d.pid1).toMatchObject({ process: "docker-init", sigterm: "never" });
    expect(d.pid1.reason).toContain("docker-init forwards SIGTERM to sh -c only");
  });

  it("a Sentinel service is skipped with why", () => {
    const set = readDeployments([
      { path: "c.yml", text: "services:\n  r:\n    image: redis:7.2\n    volumes: ['data:/data']\n  s:\n    image: redis:7.2\n    command: redis-sentinel /etc/sentinel.conf\nvolumes:\n  data:\n" },
    ]);
    expect(set.deployments.map((d) => d.name)).toEqual(["r"]);
    expect(set.skipped).toEqual([{ name: "s", reason: "runs Sentinel, which keeps no data of its own" }]);
  });
});
