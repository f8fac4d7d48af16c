import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Deployment, ReadOptions } from "./deployment.js";
import { describeOrigin } from "./deployment.js";
import { DeploymentError } from "./deployment-error.js";
import { detectKind, readDeployments } from "./read-deployments.js";
import { renderConf } from "./render-conf.js";

const F = "harness/deployment/fixtures";
const files = (...paths: string[]) => paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") }));
const only = (paths: string[], options: ReadOptions & { command?: string } = {}): Deployment => {
  const set = readDeployments(files(...paths), options);
  expect(set.deployments).toHaveLength(1);
  return set.deployments[0] as Deployment;
};
const persistence = (d: Deployment) => d.directives.filter((x) => ["save", "appendonly", "appendfsync", "dir"].includes(x.name)).map((x) => `${x.name} ${x.args.map((a) => (a === "" ? '""' : a)).join(" ")}`);

describe("stock config files, read as Redis reads them", () => {
  it("Redis 6.0's stock redis.conf: three save lines, dir ./, no AOF", () => {
    const d = only([`${F}/conf/redis-6.0.conf`], { image: "redis:6.0" });
    expect(d).toMatchObject({ kind: "conf", server: "redis", version: "6.0", argv: ["redis-server", `${F}/conf/redis-6.0.conf`] });
    expect(persistence(d)).toEqual(["save 900 1", "save 300 10", "save 60 10000", "dir ./", "appendonly no", "appendfsync everysec"]);
    expect(d.dataDir).toEqual({ path: "/data", origin: { kind: "file", file: `${F}/conf/redis-6.0.conf`, line: 26 }, onStorage: "unknown" });
  });

  it("Redis 7.2 and 8.0's: no active save line (the defaults apply), locale-collate read as a directive", () => {
    for (const [file, image] of [
      ["redis-7.2.conf", "redis:7.2"],
      ["redis-8.0.conf", "redis:8.0"],
    ] as const) {
      const d = only([`${F}/conf/${file}`], { image });
      expect(persistence(d)).toEqual(["dir ./", "appendonly no", "appendfsync everysec"]);
      expect(d.directives.find((x) => x.name === "locale-collate")?.args).toEqual([""]);
    }
  });

  it("valkey.conf without an image is read as Valkey, from a directive only Valkey knows", () => {
    const d = only([`${F}/conf/valkey-8.0.conf`]);
    expect(d.server).toBe("valkey");
    expect(d.unreadable[0]).toMatch(/read as Valkey \(line \d+ uses `dual-channel-replication-enabled`/);
    expect(persistence(d)).toEqual(["dir ./", "appendonly no", "appendfsync everysec"]);
  });

  it("a bare config's server and version come from --image", () => {
    expect(only([`${F}/conf/redis-7.2.conf`])).toMatchObject({ server: "unknown", unreadable: ["no image given: server and version unknown"] });
    expect(only([`${F}/conf/valkey-8.0.conf`], { image: "valkey/valkey:8.0" })).toMatchObject({ server: "valkey", version: "8.0" });
  });
});

describe("include", () => {
  it("inlines the included file where the include stands, from the disk next to it", () => {
    const d = only([`${F}/conf/include-main.conf`]);
    expect(persistence(d)).toEqual(["appendonly yes", "dir /data", "appendfsync no", 'save ""', "appendfsync always"]);
    expect(describeOrigin(d.directives[2]?.origin as never)).toBe(`${F}/conf/include-extra.conf:2 (included from ${F}/conf/include-main.conf:5)`);
  });

  it("takes the included file from the given files first, and the two make one deployment", () => {
    const set = readDeployments([...files(`${F}/conf/include-main.conf`), { path: `${F}/conf/include-extra.conf`, text: "appendfsync everysec\n" }]);
    expect(set.deployments).toHaveLength(1);
    expect(persistence(set.deployments[0] as Deployment)).toEqual(["appendonly yes", "dir /data", "appendfsync everysec", "appendfsync always"]);
  });

  it("a missing include is an error naming it", () => {
    try {
      readDeployments([{ path: "/nowhere/main.conf", text: "include /etc/redis/extra.conf\n" }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DeploymentError);
      expect((e as DeploymentError).message).toBe("/nowhere/main.conf:1 reads /etc/redis/extra.conf, which is not given and not next to /nowhere/main.conf: pass the file too: gate /nowhere/main.conf extra.conf");
    }
  });
});

describe("a command line", () => {
  const cmd = (command: string, paths: string[] = [], options: ReadOptions = {}) => readDeployments(files(...paths), { ...options, command }).deployments[0] as Deployment;

  it("`redis-server /etc/redis.conf --appendonly yes`: the file, then the flag", () => {
    const d = cmd("redis-server /etc/redis.conf --appendonly yes", [`${F}/compose/production/conf/redis.conf`, `${F}/compose/production/conf/local.conf`]);
    expect(d.kind).toBe("command");
    expect(d.configFile?.readFrom).toBe(`${F}/compose/production/conf/redis.conf`);
    expect(d.directives.at(-1)).toMatchObject({ name: "appendonly", args: ["yes"], origin: { kind: "flag", index: 2, text: "--appendonly yes" } });
  });

  it('`--save ""` is one empty argument; `--save 60 1 --save 300 10` two save lines', () => {
    expect(persistence(cmd('redis-server --save "" --appendonly no'))).toEqual(['save ""', "appendonly no"]);
    expect(persistence(cmd("redis-server --save 60 1 --save 300 10"))).toEqual(["save 60 1", "save 300 10"]);
  });

  it("a bare flags list is prefixed with redis-server, as the image's entrypoint does", () => {
    expect(cmd("--appendonly yes --appendfsync always").argv).toEqual(["redis-server", "--appendonly", "yes", "--appendfsync", "always"]);
  });

  it('`sh -c "... exec redis-server ..."` reaches the server; without exec it does not', () => {
    expect(cmd(`sh -c "mkdir -p /data && exec redis-server --appendonly yes"`).pid1.sigterm).toBe("reaches-server");
    const d = cmd(`sh -c "mkdir -p /data; redis-server --appendonly yes"`);
    expect(d.pid1).toMatchObject({ process: "sh -c", sigterm: "never" });
    expect(d.findings.map((f) => f.id)).toContain("sigterm-never-reaches-server");
  });

  it("`redis-server --include ...` inlines the file at the flag", () => {
    const d = cmd(`redis-server --appendonly no --include ${F}/conf/include-extra.conf --appendonly yes`, [`${F}/conf/include-extra.conf`]);
    expect(persistence(d)).toEqual(["appendonly no", "appendfsync no", 'save ""', "appendonly yes"]);
  });

  it("a command that starts no server is refused", () => {
    expect(() => cmd("redis-cli ping")).toThrow(/runs `redis-cli`, not redis-server/);
    expect(() => cmd("redis-server --version")).toThrow(/does not start a server/);
  });
});

describe("detectKind reads the content, not the name", () => {
  it.each([
    ["x.yml", "services:\n  r:\n    image: redis\n", "compose"],
    ["x.conf", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "kubernetes"],
    ["compose.yml", "appendonly yes\nsave 60 1\n", "conf"],
    ["redis.conf", "REDIS_PASSWORD=x\n# comment\nTZ=UTC\n", "env"],
    ["a.yaml", "#!/bin/sh\nexec redis-server\n", "script"],
  ])("%s holding %j is %s", (path, text, kind) => {
    expect(detectKind({ path, text }).kind).toBe(kind);
  });

  it("YAML that is neither compose nor Kubernetes is an error", () => {
    expect(() => detectKind({ path: "x.yml", text: "foo: bar\n" })).toThrow(/neither a compose file .* nor Kubernetes manifests/);
  });
});

describe("renderConf", () => {
  it("renders file lines as written and flags quoted, each line with its origin", () => {
    const d = readDeployments(files(`${F}/compose/override-appendonly.yml`)).deployments[0] as Deployment;
    const rendered = renderConf(d);
    const lines = rendered.text.trimEnd().split("\n");
    expect(lines.at(-2)).toBe('appendonly "no"');
    expect(lines.at(-1)).toBe('save ""');
    expect(rendered.origins.at(-1)).toMatchObject({ kind: "flag", index: 4 });
    expect(lines).toContain("requirepass change-me");
    expect(lines).not.toContain("include /usr/local/etc/redis/local.conf");
  });

  it("quotes values Bitnami's scripts set", () => {
    const d = readDeployments(files(`${F}/compose/bitnami.yml`)).deployments[0] as Deployment;
    expect(renderConf(d).text).toContain('logfile ""\nsave ""\n');
    expect(renderConf(d).text).toContain('rename-command FLUSHDB ""');
  });
});
