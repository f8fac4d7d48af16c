import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Deployment, ReadOptions } from "./deployment.js";
import { describeOrigin } from "./deployment.js";
import { DeploymentError } from "./deployment-error.js";
import { expandK8s } from "./k8s-reader.js";
import { readDeployments } from "./read-deployments.js";
import { deploymentHazards } from "../gate/deployment-gate.js";

const F = "harness/deployment/fixtures/k8s";
const files = (...paths: string[]) => paths.map((p) => ({ path: p, text: readFileSync(p, "utf8") }));
const only = (paths: string[], options: ReadOptions = {}): Deployment => {
  const set = readDeployments(files(...paths), options);
  expect(set.deployments).toHaveLength(1);
  return set.deployments[0] as Deployment;
};
const last = (d: Deployment, name: string) => {
  const directive = d.directives.filter((x) => x.name === name).at(-1);
  return directive ? { args: directive.args, at: describeOrigin(directive.origin) } : undefined;
};
const ids = (d: Deployment) => d.findings.map((f) => f.id);
// The ids of the hazards that fail the gate for one service of a manifest.
const failingHazards = (file: string, service: string): string[] =>
  deploymentHazards(only([file], { service }))
    .filter((h) => h.failsGate)
    .map((h) => h.id);
const error = (fn: () => unknown): DeploymentError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeploymentError) return e;
    throw e;
  }
  throw new Error("expected a DeploymentError");
};

describe("the kubernetes/website Redis Pod with its ConfigMap in another file", () => {
  const d = only([`${F}/redis-pod.yaml`, `${F}/example-redis-config.yaml`]);

  it("puts redis-server in front of `args: [/usr/local/etc/redis/redis.conf]` as the image's entrypoint does", () => {
    expect(d).toMatchObject({ kind: "kubernetes", name: "Pod/redis container redis", server: "redis", version: "5" });
    expect(d.argv).toEqual(["redis-server", "/usr/local/etc/redis/redis.conf"]);
  });

  it("reads the flow-style ConfigMap's key through the items path mapping", () => {
    expect(d.configFile).toEqual({ path: "/usr/local/etc/redis/redis.conf", readFrom: "ConfigMap example-redis-config key redis-config" });
    expect(d.directives.map((x) => x.text)).toEqual(["maxmemory 2mb", "maxmemory-policy allkeys-lru"]);
  });

  it("has /data on an emptyDir (lost with the pod) and the default 30 s grace", () => {
    expect(d.storage).toMatchObject({ kind: "empty-dir", mountPath: "/data", survives: { restart: true, recreate: false } });
    expect(d.dataDir).toMatchObject({ path: "/data", onStorage: true });
    expect(d.stopGrace).toEqual({ ms: 30_000, source: "Kubernetes default terminationGracePeriodSeconds (30 s)" });
    expect(ids(d)).toEqual(["empty-dir"]);
  });

  it("without the ConfigMap's file, names it and how to pass it", () => {
    const e = error(() => readDeployments(files(`${F}/redis-pod.yaml`)));
    expect(e.code).toBe("missing-file");
    expect(e.message).toContain("it comes from ConfigMap example-redis-config");
    expect(e.message).toContain(`pass the manifest that defines it too: gate ${F}/redis-pod.yaml example-redis-config.yaml`);
  });
});

describe("a StatefulSet with a ConfigMap redis.conf and a volumeClaimTemplate", () => {
  const d = only([`${F}/statefulset-pvc.yaml`]);

  it("reads the ConfigMap mounted with subPath, then the flag after it", () => {
    expect(d.argv).toEqual(["redis-server", "/usr/local/etc/redis/redis.conf", "--appendfsync", "always"]);
    expect(d.directives.filter((x) => x.name === "appendfsync").map((x) => describeOrigin(x.origin))).toEqual([
      "ConfigMap redis-config key redis.conf:3",
      `flag 2 \`--appendfsync always\` (${F}/statefulset-pvc.yaml:36)`,
    ]);
    expect(last(d, "appendfsync")?.args).toEqual(["always"]);
    expect(last(d, "save")?.args).toEqual([""]);
  });

  it("has /data on the claim template, its own grace and memory limit, no findings", () => {
    expect(d.storage).toMatchObject({ kind: "volume-claim-template", source: "data", survives: { restart: true, recreate: true, reboot: true } });
    expect(d.dataDir).toMatchObject({ path: "/data", onStorage: true, origin: { kind: "file", file: "ConfigMap redis-config key redis.conf", line: 1 } });
    expect(d.stopGrace).toEqual({ ms: 60_000, source: `terminationGracePeriodSeconds 60 (${F}/statefulset-pvc.yaml:32)` });
    expect(d.memoryLimit).toMatchObject({ bytes: 512 * 1024 ** 2, text: "512Mi" });
    expect(d.findings).toEqual([]);
  });
});

describe("a StatefulSet with an emptyDir", () => {
  it("`--appendfsync always` as args only, /data on an emptyDir: a finding that fails any bound", () => {
    const d = only([`${F}/statefulset-emptydir.yaml`]);
    expect(d.argv).toEqual(["redis-server", "--appendonly", "yes", "--appendfsync", "always"]);
    expect(d.storage.kind).toBe("empty-dir");
    expect(d.findings).toEqual([expect.objectContaining({ id: "empty-dir", severity: "danger" })]);
  });
});

describe("a Deployment with $(VAR), a Secret and a memory emptyDir", () => {
  const d = only([`${F}/deployment-vars.yaml`]);

  it("expands a defined $(VAR) and leaves an undefined one literally, as the kubelet does", () => {
    expect(last(d, "appendfsync")?.args).toEqual(["everysec"]);
    expect(last(d, "maxmemory")?.args).toEqual(["$(MAXMEMORY)"]);
    expect(d.findings.find((f) => f.id === "k8s-variable-undefined")?.message).toBe('`$(MAXMEMORY)` is not defined in the container\'s env: Kubernetes passes it literally, as the text "$(MAXMEMORY)"');
    expect(d.complete).toBe(false);
  });

  it("is Valkey 8.0.2 under `sh -c` without exec, on RAM", () => {
    expect(d).toMatchObject({ server: "valkey", version: "8.0.2" });
    expect(d.pid1).toMatchObject({ process: "sh -c", sigterm: "maybe" });
    expect(d.storage.kind).toBe("empty-dir-memory");
    expect(ids(d)).toEqual(expect.arrayContaining(["storage-in-memory", "sigterm-may-not-reach-server", "unresolved-shell-words"]));
  });
});

describe("settings from a Secret that is not given", () => {
  const S = `${F}/secret-settings.yaml`;
  const gateFailures = (service: string): string[] => failingHazards(S, service);

  for (const service of ["aof-from-secret", "derived-from-secret", "derived-in-shell", "shell-default", "env-from-secret", "env-from-plus", "extra-flags-from-secret"]) {
    it(`${service}: the setting the Secret decides fails the gate as unknown`, () => {
      expect(gateFailures(service)).toContain("unknown-server-setting");
    });
  }

  it("names the word and where the value comes from", () => {
    const finding = only([S], { service: "aof-from-secret" }).findings.find((f) => f.id === "unknown-server-setting");
    expect(finding?.message).toContain("`$(AOF)`");
    expect(finding?.message).toContain("a variable from a Secret or the downward API");
    expect(finding?.fix).toContain("give the Secret");
  });

  it("a shell's default for a variable the Secret sets is not read as the value", () => {
    expect(last(only([S], { service: "shell-default" }), "appendonly")?.args).toEqual(["$AOF"]);
  });

  it("a password from a Secret changes no loss bound: no failure", () => {
    expect(gateFailures("password-from-secret")).toEqual([]);
  });
});

describe("the downward API and envFrom (cluster-downward.yaml)", () => {
  const C = `${F}/cluster-downward.yaml`;
  const failures = (service: string): string[] => failingHazards(C, service);

  it("a node named by $(POD_NAME) and bound to $(POD_IP) changes no loss: it passes", () => {
    expect(failures("redis-cluster")).toEqual([]);
    expect(last(only([C], { service: "redis-cluster" }), "cluster-config-file")?.args).toEqual(["/data/nodes-$(POD_NAME).conf"]);
  });

  it("envFrom a Secret or a ConfigMap not given may set VALKEY_EXTRA_FLAGS, which the entrypoint appends: unknown (a sixth review)", () => {
    expect(failures("valkey-secret-env")).toContain("unknown-server-setting");
    expect(failures("valkey-configmap-env")).toContain("unknown-server-setting");
  });

  it("a downward-API annotation can hold anything: unknown where a setting goes", () => {
    expect(failures("annotation-dir")).toContain("unknown-server-setting");
  });
});

describe("Helm", () => {
  it("reads the rendered Bitnami chart: bash start script, copied config, includes from the ConfigMap, password from the Secret", () => {
    const d = only([`${F}/bitnami-rendered.yaml`]);
    expect(d.image).toMatchObject({ family: "bitnami", version: "7.0.4" });
    expect(d.argv).toEqual(["redis-server", "--port", "6379", "--requirepass", "admin", "--masterauth", "admin", "--include", "/opt/bitnami/redis/etc/redis.conf", "--include", "/opt/bitnami/redis/etc/master.conf"]);
    expect(d.pid1).toMatchObject({ process: "redis-server", sigterm: "reaches-server" });
    expect(last(d, "appendonly")?.at).toBe(`ConfigMap redis-demo-configuration key redis.conf:3 (included from flag 7 \`--include /opt/bitnami/redis/etc/redis.conf\` (${F}/bitnami-rendered.yaml:82))`);
    expect(last(d, "save")?.args).toEqual([""]);
    expect(d.dataDir).toMatchObject({ path: "/data", onStorage: true });
    expect(d.storage).toMatchObject({ kind: "volume-claim-template", source: "redis-data" });
    expect(d.findings).toEqual([]);
  });

  it("refuses an unrendered template, saying to render it first", () => {
    const e = error(() => readDeployments(files(`${F}/helm-template.yaml`)));
    expect(e.code).toBe("unrendered-template");
    expect(e.message).toMatch(/^harness\/deployment\/fixtures\/k8s\/helm-template\.yaml:2: this is a Helm template .* render it first \(helm template/);
  });

  it("refuses ERB and Jinja templates too", () => {
    expect(error(() => readDeployments([{ path: "a.yaml.erb", text: "kind: Pod\nimage: <%= @image %>\n" }])).message).toContain("an ERB template");
    expect(error(() => readDeployments([{ path: "a.j2", text: "kind: Pod\n{% if x %}\nimage: {{ redis_image }}\n" }])).message).toContain("a Jinja template");
  });
});

describe("bad manifests", () => {
  it("a ConfigMap defined in a file not given is named, with how to pass it", () => {
    const e = error(() => readDeployments(files(`${F}/configmap-missing.yaml`)));
    expect(e.message).toContain("ConfigMap redis-settings");
    expect(e.message).toContain("pass the manifest that defines it too");
  });

  it("manifests without a Redis container list the containers", () => {
    const text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27\n";
    const e = error(() => readDeployments([{ path: "web.yaml", text }]));
    expect(e.code).toBe("no-redis-service");
    expect(e.message).toContain("containers: Deployment/web container nginx (nginx:1.27)");
  });

  it("a redis_exporter sidecar next to Redis is skipped, not judged", () => {
    const text = readFileSync(`${F}/statefulset-pvc.yaml`, "utf8").replace("      volumes:\n", "        - name: metrics\n          image: oliver006/redis_exporter:v1.62.0\n      volumes:\n");
    const set = readDeployments([{ path: "sts.yaml", text }]);
    expect(set.deployments.map((d) => d.name)).toEqual(["StatefulSet/redis container redis"]);
    expect(set.skipped.map((s) => s.name)).toEqual(["StatefulSet/redis container metrics"]);
  });

  it("a `kind: List` of objects is read like separate documents", () => {
    const d = readDeployments([{ path: "list.yaml", text: `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: r}\n    spec:\n      containers:\n        - name: r\n          image: redis:7.2\n` }]).deployments[0] as Deployment;
    expect(d.name).toBe("Pod/r container r");
    expect(d.storage.kind).toBe("none");
    expect(d.findings[0]?.message).toContain("any container restart");
  });
});

describe("expandK8s", () => {
  it.each([
    ["$(A)-$(B)", "1-$(B)"],
    ["$$(A)", "$(A)"],
    ["$A and $", "$A and $"],
    ["$(A", "$(A"],
  ])("%s -> %s", (input, output) => {
    const findings: { id: string }[] = [];
    expect(expandK8s(input, { A: "1" }, new Set(), findings as never, "x")).toBe(output);
  });
});
