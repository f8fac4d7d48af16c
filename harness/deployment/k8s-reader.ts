import { Buffer } from "node:buffer";
import type { Skipped } from "./container.js";
import { containerDeployment, isSkipped } from "./container.js";
import { DeploymentError } from "./deployment-error.js";
import type { Deployment, Finding, MemoryLimit, ReadOptions, StopGrace } from "./deployment.js";
import type { GivenFiles } from "./given-files.js";
import { looksLikeRedis, parseImageRef } from "./image-ref.js";
import type { Mount } from "./storage.js";
import { HOST_MEMORY_SURVIVAL, hostMemoryOf, survivalOf } from "./storage.js";
import { initContainerFindings } from "./start-commands.js";
import { parseK8sQuantity } from "./units.js";
import type { YamlDocument } from "./yaml-source.js";

/** Kubernetes' default terminationGracePeriodSeconds. */
export const K8S_DEFAULT_GRACE_MS = 30_000;

/** A manifest file already parsed: its path and documents. */
export interface Manifest {
  path: string;
  docs: YamlDocument[];
}

/** What a set of manifests holds: the Redis and Valkey containers, and the other containers (with why). */
export interface KubernetesRead {
  deployments: Deployment[];
  skipped: Skipped[];
  /** Every workload container, as "Kind/name container", with its image. */
  containers: { name: string; image?: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const WORKLOADS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

interface Resource {
  obj: Obj;
  file: string;
  doc: YamlDocument;
  /** Path of the object inside its document (a `kind: List` puts it under items[i]). */
  base: (string | number)[];
}

/**
 * Reads Kubernetes manifests (several documents per file, several files, `kind: List`): every
 * container of a Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet whose image or command is
 * Redis or Valkey becomes a Deployment. `command`/`args` get `$(VAR)` expanded from `env` as the
 * kubelet does (an undefined one stays literally); volumeMounts resolve to PVCs,
 * volumeClaimTemplates, emptyDirs (medium Memory is RAM), hostPaths, and ConfigMaps and Secrets
 * from any of the given manifests, whose keys are the files redis-server reads.
 */
export function readKubernetes(manifests: Manifest[], given: GivenFiles, options: ReadOptions): KubernetesRead {
  const resources: Resource[] = [];
  for (const m of manifests) {
    m.docs.forEach((doc) => {
      const value = doc.value;
      if (!isObj(value)) return;
      if (value.kind === "List" && Array.isArray(value.items)) value.items.forEach((item, i) => isObj(item) && resources.push({ obj: item, file: m.path, doc, base: ["items", i] }));
      else resources.push({ obj: value, file: m.path, doc, base: [] });
    });
  }
  const named = (kind: string): Map<string, Resource> => new Map(resources.filter((r) => r.obj.kind === kind && isObj(r.obj.metadata)).map((r) => [String((r.obj.metadata as Obj).name), r]));
  const configMaps = named("ConfigMap");
  const secrets = named("Secret");
  const result: KubernetesRead = { deployments: [], skipped: [], containers: [] };
  const allFiles = manifests.map((m) => m.path).join(" ");

  for (const resource of resources) {
    const kind = String(resource.obj.kind ?? "");
    if (!WORKLOADS.has(kind)) continue;
    const workload = `${kind}/${String(isObj(resource.obj.metadata) ? resource.obj.metadata.name : "?")}`;
    const specPath: (string | number)[] = kind === "Pod" ? [...resource.base, "spec"] : [...resource.base, "spec", "template", "spec"];
    const pod = getPath(resource.obj, specPath.slice(resource.base.length));
    if (!isObj(pod)) continue;
    const claimTemplates = kind === "StatefulSet" && isObj(resource.obj.spec) && Array.isArray(resource.obj.spec.volumeClaimTemplates) ? resource.obj.spec.volumeClaimTemplates.filter(isObj) : [];
    const containers = Array.isArray(pod.containers) ? pod.containers : [];
    containers.forEach((c, ci) => {
      if (!isObj(c)) return;
      const cPath = [...specPath, "containers", ci];
      const at = (p: (string | number)[]): string => {
        const line = resource.doc.lineOf([...cPath, ...p]);
        return line ? `${resource.file}:${line}` : resource.file;
      };
      const name = `${workload} container ${String(c.name)}`;
      const imageText = typeof c.image === "string" ? c.image : undefined;
      result.containers.push({ name, ...(imageText ? { image: imageText } : {}) });
      if (options.service !== undefined && ![String(c.name), workload, String(isObj(resource.obj.metadata) ? resource.obj.metadata.name : "")].includes(options.service)) return;
      const findings: Finding[] = [];
      const unreadable: string[] = [];
      const env = containerEnv(c, configMaps, secrets, unreadable, findings, at);
      const expand = (key: "command" | "args"): string[] | undefined => {
        const value = c[key];
        if (!Array.isArray(value)) return undefined;
        return value.map((v, i) => expandK8s(String(v), env.known, env.opaque, findings, at([key, i]), env.openEnded));
      };
      const command = expand("command");
      const args = expand("args");
      const commandAt = c.command !== undefined ? at(["command"]) : c.args !== undefined ? at(["args"]) : at([]);
      const mounts = podMounts(c, pod, claimTemplates, configMaps, secrets, resource, specPath, allFiles);
      const grace = graceOf(pod, options, resource, specPath);
      const memory = memoryOf(c, at(["resources", "limits", "memory"]));
      if (isObj(c.lifecycle) && c.lifecycle.preStop !== undefined) unreadable.push(`${name} has a preStop hook: it runs before SIGTERM and uses up part of the grace`);
      const image = imageText ? parseImageRef(imageText) : undefined;
      const built = containerDeployment(
        {
          platform: "kubernetes",
          name,
          file: resource.file,
          ...(image ? { image } : {}),
          ...(command ? { entrypoint: command } : {}),
          ...(args ? { command: args } : {}),
          commandAt,
          env: env.known,
          unknownEnv: [...env.opaque],
          ...(env.openEnded ? { unsetEnvUnknown: true } : {}),
          ...(typeof c.workingDir === "string" ? { workingDir: c.workingDir } : {}),
          mounts,
          stopGrace: grace,
          ...(memory ? { memoryLimit: memory } : {}),
          findings,
          unreadable,
          givenByName: () => undefined,
        },
        "kubernetes",
      );
      if (isSkipped(built)) {
        const redisImage = image && image.family !== "unknown";
        result.skipped.push({ name, reason: redisImage || (image && looksLikeRedis(image.repository)) ? built.reason : `image ${imageText ?? "(none)"} is neither Redis nor Valkey` });
        return;
      }
      built.findings.push(...initContainerFindings(pod, c, built, resource.file, (p) => {
        const line = resource.doc.lineOf([...specPath, ...p]);
        return line ? `${resource.file}:${line}` : resource.file;
      }));
      result.deployments.push(built);
    });
  }
  for (const m of manifests) given.markUsed(m.path);
  return result;
}

function getPath(obj: unknown, p: (string | number)[]): unknown {
  return p.reduce<unknown>((o, k) => (isObj(o) || Array.isArray(o) ? (o as Record<string, unknown>)[k as string] : undefined), obj);
}

/**
 * Expands `$(VAR)` as the kubelet does (k8s.io/kubernetes third_party/forked/golang/expansion):
 * `$$` is `$`, `$(NAME)` is the variable's value when `env` defines it and stays literally
 * `$(NAME)` when it does not; any other `$` is kept. A variable whose value comes from a Secret or
 * the downward API is defined but unknown here: kept as written, with a finding. With `openEnded`
 * (an `envFrom` whose variables are not known), any name not known may be one of them: it is added
 * to `opaque`.
 */
export function expandK8s(text: string, known: Record<string, string>, opaque: Set<string>, findings: Finding[], at: string, openEnded = false): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "$" || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i++;
      continue;
    }
    if (next === "(") {
      const end = text.indexOf(")", i + 2);
      if (end === -1) {
        out += "$(";
        i++;
        continue;
      }
      const name = text.slice(i + 2, end);
      if (Object.hasOwn(known, name)) out += known[name];
      else {
        if (openEnded) opaque.add(name);
        out += `$(${name})`;
        findings.push(
          opaque.has(name)
            ? { id: "k8s-variable-opaque", severity: "info", message: `\`$(${name})\` ${openEnded ? "may come from" : "comes from"} a Secret, a ConfigMap not given or the downward API: its value is not known here`, at }
            : { id: "k8s-variable-undefined", severity: "warning", message: `\`$(${name})\` is not defined in the container's env: Kubernetes passes it literally, as the text "$(${name})"`, fix: `define ${name} under env, or write the value`, at },
        );
      }
      i = end;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Downward-API fields that are one token (a name, an address); annotations and labels can hold anything. */
const ONE_TOKEN_FIELDS = new Set(["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]);

// `openEnded` when an `envFrom` brings variables whose names are not known here.
function containerEnv(c: Obj, configMaps: Map<string, Resource>, secrets: Map<string, Resource>, unreadable: string[], findings: Finding[], at: (p: (string | number)[]) => string): { known: Record<string, string>; opaque: Set<string>; openEnded: boolean } {
  const known: Record<string, string> = {};
  const opaque = new Set<string>();
  let openEnded = false;
  const envFrom = Array.isArray(c.envFrom) ? c.envFrom : [];
  for (const source of envFrom) {
    if (!isObj(source)) continue;
    if (isObj(source.configMapRef)) {
      const cm = configMaps.get(String(source.configMapRef.name));
      const data = cm && isObj(cm.obj.data) ? cm.obj.data : undefined;
      if (data) for (const [k, v] of Object.entries(data)) known[`${String(source.prefix ?? "")}${k}`] = String(v);
      else {
        openEnded = true;
        unreadable.push(`envFrom ConfigMap ${String(source.configMapRef.name)} is not given: its variables are unknown`);
      }
    } else {
      openEnded = true;
      unreadable.push("envFrom a Secret: its variables are unknown here");
    }
  }
  const env = Array.isArray(c.env) ? c.env : [];
  const unknown = (name: string): void => {
    delete known[name];
    opaque.add(name);
  };
  const set = (name: string, value: string): void => {
    known[name] = value;
    opaque.delete(name);
  };
  env.forEach((e, i) => {
    if (!isObj(e) || typeof e.name !== "string") return;
    if (e.value !== undefined) {
      // A value built from an unknown one is unknown too.
      if ([...String(e.value).matchAll(/\$\(([^)]*)\)/g)].some((m) => opaque.has(m[1] as string))) unknown(e.name);
      else set(e.name, expandK8s(String(e.value), known, opaque, findings, at(["env", i]), openEnded));
    } else if (isObj(e.valueFrom) && (isObj(e.valueFrom.resourceFieldRef) || (isObj(e.valueFrom.fieldRef) && ONE_TOKEN_FIELDS.has(String(e.valueFrom.fieldRef.fieldPath))))) {
      // The downward API: one token (a pod name, an IP, a number), never a flag; kept as the
      // kubelet's placeholder, which is a path part or a hostname where it stands.
      set(e.name, `$(${e.name})`);
    } else if (isObj(e.valueFrom)) {
      const value = keyRefValue(e.valueFrom, configMaps, secrets);
      if (value !== undefined) set(e.name, value);
      else unknown(e.name);
    } else set(e.name, "");
  });
  return { known, opaque, openEnded };
}

// A configMapKeyRef or secretKeyRef whose object is among the given manifests.
function keyRefValue(valueFrom: Obj, configMaps: Map<string, Resource>, secrets: Map<string, Resource>): string | undefined {
  for (const [key, map, secret] of [
    ["configMapKeyRef", configMaps, false],
    ["secretKeyRef", secrets, true],
  ] as const) {
    const ref = valueFrom[key];
    if (!isObj(ref)) continue;
    const obj = map.get(String(ref.name))?.obj;
    const k = String(ref.key);
    if (obj && isObj(obj.stringData) && obj.stringData[k] !== undefined) return String(obj.stringData[k]);
    if (obj && isObj(obj.data) && obj.data[k] !== undefined) return secret ? Buffer.from(String(obj.data[k]), "base64").toString("utf8") : String(obj.data[k]);
  }
  return undefined;
}

function graceOf(pod: Obj, options: ReadOptions, resource: Resource, specPath: (string | number)[]): StopGrace {
  if (options.graceMs !== undefined) return { ms: options.graceMs, source: "--grace" };
  const value = pod.terminationGracePeriodSeconds;
  if (value === undefined || value === null) return { ms: K8S_DEFAULT_GRACE_MS, source: "Kubernetes default terminationGracePeriodSeconds (30 s)" };
  const seconds = Number(value);
  const line = resource.doc.lineOf([...specPath, "terminationGracePeriodSeconds"]);
  if (!Number.isFinite(seconds) || seconds < 0) throw new DeploymentError("invalid-file", `${resource.file}:${line ?? "?"}: terminationGracePeriodSeconds ${JSON.stringify(value)} is not a number of seconds`);
  return { ms: seconds * 1000, source: `terminationGracePeriodSeconds ${seconds} (${resource.file}${line ? `:${line}` : ""})` };
}

function memoryOf(c: Obj, at: string): MemoryLimit | undefined {
  const value = isObj(c.resources) && isObj(c.resources.limits) ? c.resources.limits.memory : undefined;
  if (value === undefined || value === null) return undefined;
  const bytes = parseK8sQuantity(value as string | number);
  return bytes === undefined ? undefined : { bytes, text: String(value), source: `resources.limits.memory (${at})` };
}

function podMounts(c: Obj, pod: Obj, claimTemplates: Obj[], configMaps: Map<string, Resource>, secrets: Map<string, Resource>, resource: Resource, specPath: (string | number)[], allFiles: string): Mount[] {
  const volumes = new Map<string, { def: Obj; index: number }>();
  (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v, index) => isObj(v) && volumes.set(String(v.name), { def: v, index }));
  const templates = new Set(claimTemplates.map((t) => String(isObj(t.metadata) ? t.metadata.name : "")));
  const mounts: Mount[] = [];
  const mountList = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
  for (const vm of mountList) {
    if (!isObj(vm)) continue;
    const volumeName = String(vm.name);
    const mountPath = String(vm.mountPath);
    const subPath = typeof vm.subPath === "string" && vm.subPath !== "" ? vm.subPath : undefined;
    const volume = volumes.get(volumeName);
    const line = volume ? resource.doc.lineOf([...specPath, "volumes", volume.index]) : undefined;
    const declaredAt = `${resource.file}${line ? `:${line}` : ""} (volume ${volumeName})`;
    if (!volume) {
      if (templates.has(volumeName)) {
        mounts.push({ storage: { kind: "volume-claim-template", mountPath, source: volumeName, declaredAt: `${resource.file} (volumeClaimTemplates ${volumeName})`, survives: survivalOf("volume-claim-template", "kubernetes") } });
      } else mounts.push({ storage: { kind: "unknown", mountPath, source: volumeName, declaredAt: resource.file, note: `volumeMount ${volumeName} names no volume of the pod (kubectl refuses this)` } });
      continue;
    }
    const def = volume.def;
    if (isObj(def.persistentVolumeClaim)) {
      mounts.push({ storage: { kind: "pvc", mountPath, source: String(def.persistentVolumeClaim.claimName), declaredAt, survives: survivalOf("pvc", "kubernetes") } });
    } else if (isObj(def.emptyDir) || def.emptyDir === null) {
      const memory = isObj(def.emptyDir) && def.emptyDir.medium === "Memory";
      mounts.push({ storage: { kind: memory ? "empty-dir-memory" : "empty-dir", mountPath, source: volumeName, declaredAt, survives: survivalOf(memory ? "empty-dir-memory" : "empty-dir", "kubernetes") } });
    } else if (isObj(def.hostPath)) {
      const ram = hostMemoryOf(String(def.hostPath.path));
      mounts.push({ storage: { kind: "host-path", mountPath, source: String(def.hostPath.path), declaredAt, survives: ram ? HOST_MEMORY_SURVIVAL : survivalOf("host-path", "kubernetes"), ...(ram ? { inHostMemory: ram } : {}) } });
    } else if (isObj(def.ephemeral)) {
      mounts.push({ storage: { kind: "empty-dir", mountPath, source: volumeName, declaredAt, survives: survivalOf("empty-dir", "kubernetes"), note: "a generic ephemeral volume: its claim is deleted with the pod" } });
    } else if (isObj(def.configMap) || isObj(def.secret) || isObj(def.projected)) {
      mounts.push(configMount(def, mountPath, subPath, configMaps, secrets, declaredAt, allFiles));
    } else {
      const type = Object.keys(def).find((k) => k !== "name") ?? "unknown";
      mounts.push({ storage: { kind: "unknown", mountPath, source: volumeName, declaredAt, note: `a ${type} volume: what it survives depends on that storage` } });
    }
  }
  // Each volumeMount object above pushed exactly one mount, in order.
  mountList.filter(isObj).forEach((vm, i) => {
    const where = readOnlyAt(vm, volumes.get(String(vm.name))?.def, resource.file);
    const mount = mounts[i];
    if (where && mount) mount.storage.readOnly = where;
  });
  return mounts;
}

// Where a volumeMount, or the claim it mounts, is declared read-only.
function readOnlyAt(vm: Obj, def: Obj | undefined, file: string): string | undefined {
  const claim = def && isObj(def.persistentVolumeClaim) ? def.persistentVolumeClaim : undefined;
  if (vm.readOnly === true) return `${file} (volumeMount ${String(vm.name)} readOnly: true)`;
  if (claim?.readOnly === true) return `${file} (persistentVolumeClaim ${String(claim.claimName)} readOnly: true)`;
  return undefined;
}

// A ConfigMap, Secret or projected volume: its keys (or items' paths) are the files under the mount.
function configMount(def: Obj, mountPath: string, subPath: string | undefined, configMaps: Map<string, Resource>, secrets: Map<string, Resource>, declaredAt: string, allFiles: string): Mount {
  const sources: { kind: "ConfigMap" | "Secret"; name: string; items?: Obj[] }[] = [];
  const add = (kind: "ConfigMap" | "Secret", v: Obj): void => {
    sources.push({ kind, name: String(kind === "Secret" ? (v.secretName ?? v.name) : v.name), ...(Array.isArray(v.items) ? { items: v.items.filter(isObj) } : {}) });
  };
  if (isObj(def.configMap)) add("ConfigMap", def.configMap);
  if (isObj(def.secret)) add("Secret", def.secret);
  if (isObj(def.projected) && Array.isArray(def.projected.sources)) {
    for (const s of def.projected.sources) {
      if (isObj(s) && isObj(s.configMap)) add("ConfigMap", s.configMap);
      if (isObj(s) && isObj(s.secret)) add("Secret", s.secret);
    }
  }
  const dataOf = (source: (typeof sources)[number]): Record<string, string> | undefined => {
    const r = (source.kind === "ConfigMap" ? configMaps : secrets).get(source.name);
    if (!r) return undefined;
    const data: Record<string, string> = {};
    if (isObj(r.obj.data)) for (const [k, v] of Object.entries(r.obj.data)) data[k] = source.kind === "Secret" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
    if (isObj(r.obj.stringData)) for (const [k, v] of Object.entries(r.obj.stringData)) data[k] = String(v);
    return data;
  };
  // File name under the mount -> [source, key].
  const fileOf = (fileName: string): { source: (typeof sources)[number]; key: string; data?: Record<string, string> } | undefined => {
    for (const source of sources) {
      const data = dataOf(source);
      if (source.items) {
        const item = source.items.find((it) => String(it.path) === fileName);
        if (item) return { source, key: String(item.key), ...(data ? { data } : {}) };
      } else if (!data || Object.hasOwn(data, fileName)) return { source, key: fileName, ...(data ? { data } : {}) };
    }
    return undefined;
  };
  const label = sources.map((s) => `${s.kind} ${s.name}`).join(" + ") || "a projected volume";
  const missingSource = (): string | undefined => sources.find((s) => dataOf(s) === undefined)?.name;
  return {
    storage: { kind: "config", mountPath, source: label, declaredAt },
    read: (relative) => {
      const fileName = subPath !== undefined ? (relative === "" ? subPath : `${subPath}/${relative}`) : relative;
      const hit = fileOf(fileName);
      if (!hit?.data) return "missing";
      const text = hit.data[hit.key];
      return text === undefined ? "missing" : [{ text, display: `${hit.source.kind} ${hit.source.name} key ${hit.key}` }];
    },
    list: () =>
      sources.flatMap((source) => {
        const data = dataOf(source);
        if (!data) return [];
        const keys = source.items ? source.items.map((it) => [String(it.path), String(it.key)] as const) : Object.keys(data).map((k) => [k, k] as const);
        return keys.filter(([, key]) => data[key] !== undefined).map(([file, key]) => ({ text: data[key] as string, display: file }));
      }),
    missing: (relative) => {
      const absent = missingSource();
      if (absent !== undefined) {
        const source = sources.find((s) => s.name === absent);
        return `it comes from ${source?.kind} ${absent} (${declaredAt}), which is not in the files given: pass the manifest that defines it too: gate ${allFiles} ${absent.replace(/[^A-Za-z0-9_.-]/g, "")}.yaml`;
      }
      return `${label} has no key for ${subPath ?? relative} (${declaredAt})`;
    },
  };
}
