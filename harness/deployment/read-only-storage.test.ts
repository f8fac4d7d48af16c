import { describe, expect, it } from "vitest";
import { dataSurvivesRecreate, deploymentHazards } from "../gate/deployment-gate.js";
import type { Deployment } from "./deployment.js";
import { readDeployments } from "./read-deployments.js";

// A data volume mounted read-only is a volume Redis cannot write: durable storage, nothing on it.
const one = (path: string, text: string): Deployment => {
  const set = readDeployments([{ path, text }], {});
  expect(set.deployments).toHaveLength(1);
  return set.deployments[0] as Deployment;
};
const compose = (volumes: string) => `services:\n  redis:\n    image: redis:7.2\n    command: redis-server --appendonly yes\n    volumes:\n${volumes}\nvolumes:\n  redis-data: {}\n`;
const statefulSet = (mount: string, volumes = "") => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis}
    spec:
      containers:
        - name: redis
          image: redis:7.2
          args: ["--appendonly", "yes"]
          volumeMounts:
            - name: data
              mountPath: /data
${mount}${volumes}
`;
const failsOnReadOnly = (d: Deployment) => {
  expect(d.findings.map((f) => f.id)).toContain("storage-read-only");
  expect(dataSurvivesRecreate(d)).toBe(false);
  expect(deploymentHazards(d).find((h) => h.id === "storage-read-only")).toMatchObject({ severity: "danger", failsGate: true });
};

describe("a read-only data volume", () => {
  it("compose short syntax `:ro` on the data volume", () => {
    const d = one("compose.yml", compose("      - redis-data:/data:ro"));
    expect(d.storage).toMatchObject({ kind: "named-volume", readOnly: "compose.yml:6" });
    failsOnReadOnly(d);
  });

  it("compose short syntax with several options (`ro,z`) on a bind mount", () => {
    failsOnReadOnly(one("compose.yml", compose("      - ./data:/data:ro,z")));
  });

  it("compose long syntax `read_only: true`", () => {
    failsOnReadOnly(one("compose.yml", compose("      - type: volume\n        source: redis-data\n        target: /data\n        read_only: true")));
  });

  it("compose long syntax `read_only` as a string, as compose-go's toBoolean reads it (an interpolated variable)", () => {
    for (const value of ['"true"', "yes", "${DATA_RO:-true}", "On"]) {
      failsOnReadOnly(one("compose.yml", compose(`      - type: volume\n        source: redis-data\n        target: /data\n        read_only: ${value}`)));
    }
    const writable = one("compose.yml", compose("      - type: volume\n        source: redis-data\n        target: /data\n        read_only: \"false\""));
    expect(writable.storage.readOnly).toBeUndefined();
  });

  it("Kubernetes volumeMount `readOnly: true` on a volumeClaimTemplate", () => {
    const d = one("sts.yaml", statefulSet("              readOnly: true\n", "  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}"));
    expect(d.storage).toMatchObject({ kind: "volume-claim-template" });
    failsOnReadOnly(d);
  });

  it("Kubernetes persistentVolumeClaim `readOnly: true` in the pod's volume", () => {
    const d = one("sts.yaml", statefulSet("", "      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: redis-data, readOnly: true}").replace("  volumeClaimTemplates", ""));
    expect(d.storage).toMatchObject({ kind: "pvc", source: "redis-data" });
    failsOnReadOnly(d);
  });

  it("a read-only config file beside a writable data volume is no finding", () => {
    const text = `services:\n  redis:\n    image: redis:7.2\n    command: redis-server /usr/local/etc/redis/redis.conf\n    volumes:\n      - ./redis.conf:/usr/local/etc/redis/redis.conf:ro\n      - redis-data:/data\nvolumes:\n  redis-data: {}\n`;
    const set = readDeployments([{ path: "compose.yml", text }, { path: "redis.conf", text: "appendonly yes\n" }], {});
    const d = set.deployments[0] as Deployment;
    expect(d.storage).toMatchObject({ kind: "named-volume" });
    expect(d.storage.readOnly).toBeUndefined();
    expect(d.findings.map((f) => f.id)).not.toContain("storage-read-only");
    expect(dataSurvivesRecreate(d)).toBe(true);
  });
});
