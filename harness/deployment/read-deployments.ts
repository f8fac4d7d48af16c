import path from "node:path";
import type { Skipped } from "./container.js";
import { readCompose } from "./compose-reader.js";
import { DeploymentError } from "./deployment-error.js";
import type { Deployment, ReadOptions, SourceFile } from "./deployment.js";
import { GivenFiles, listDisk, readFromDisk } from "./given-files.js";
import type { Manifest } from "./k8s-reader.js";
import { readKubernetes } from "./k8s-reader.js";
import { commandDeployment, confDeployment } from "./standalone.js";
import type { YamlDocument } from "./yaml-source.js";
import { parseYaml, refuseTemplate } from "./yaml-source.js";

/** What a source file is, as its content says (never its name). */
export type SourceKind = "compose" | "kubernetes" | "conf" | "env" | "script";

/** Everything the given files deploy: the servers, and the containers or services that are not servers (with why). */
export interface DeploymentSet {
  deployments: Deployment[];
  skipped: Skipped[];
  /** Each file and the kind its content was read as. */
  kinds: { path: string; kind: SourceKind }[];
}

const YAML_LINE = /^(---|\.\.\.|[A-Za-z0-9_."'-]+\s*:(\s|$)|-\s|\{|\[)/;

/**
 * What a file is, from its content: YAML with a `services:` mapping is a compose file, YAML whose
 * documents have `apiVersion` and `kind` is a Kubernetes manifest (Helm's rendered output is
 * one), `KEY=VALUE` lines are an env file, `#!` a script, anything else a redis.conf/valkey.conf.
 * An unrendered Helm/ERB/Jinja template, YAML that does not parse (`file:line:column: message`)
 * and YAML that is neither are DeploymentErrors.
 */
export function detectKind(file: SourceFile): { kind: SourceKind; docs?: YamlDocument[] } {
  refuseTemplate(file);
  const lines = file.text.split("\n").map((l) => l.replace(/\r$/, ""));
  const meaningful = lines.filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (file.text.startsWith("#!")) return { kind: "script" };
  if (meaningful.length > 0 && meaningful.every((l) => /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(l))) return { kind: "env" };
  if (!meaningful.some((l) => YAML_LINE.test(l))) return { kind: "conf" };
  const docs = parseYaml(file);
  const values = docs.map((d) => d.value).filter((v) => v !== null && v !== undefined);
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (values.length === 1 && isObj(values[0]) && "services" in values[0]) return { kind: "compose", docs };
  if (values.length > 0 && values.every((v) => isObj(v) && typeof v.kind === "string" && typeof v.apiVersion === "string")) return { kind: "kubernetes", docs };
  if (values.every((v) => typeof v === "string")) return { kind: "conf" };
  throw new DeploymentError(
    "unknown-kind",
    `${file.path}: YAML that is neither a compose file (no top-level \`services:\`) nor Kubernetes manifests (every document needs \`apiVersion\` and \`kind\`)${values.some((v) => isObj(v) && "apiVersion" in v) ? ": some documents lack `kind` or `apiVersion`" : ""}`,
    file.path,
  );
}

/**
 * Reads every Redis and Valkey server the given files deploy, as one list of Deployments: compose
 * files and Kubernetes manifests (manifests pooled, so a ConfigMap may sit in another file),
 * config files and env files they mount or include, or bare config files when nothing else is
 * given; with `command`, the command line judged against the files (its config file among them).
 * A file nothing reads, a Redis-less compose file, or a Redis-less set of manifests is a
 * DeploymentError (exit 2) that says what was found.
 */
export function readDeployments(files: SourceFile[], options: ReadOptions & { command?: string | string[] } = {}): DeploymentSet {
  const given = new GivenFiles(files, options.readFile ?? readFromDisk, options.listDir ?? listDisk);
  const kinds = files.map((file) => ({ file, ...detectKind(file) }));
  const set: DeploymentSet = { deployments: [], skipped: [], kinds: kinds.map((k) => ({ path: k.file.path, kind: k.kind })) };
  const composeFiles = kinds.filter((k) => k.kind === "compose");
  const manifests: Manifest[] = kinds.filter((k) => k.kind === "kubernetes").map((k) => ({ path: k.file.path, docs: k.docs as YamlDocument[] }));
  const confs = kinds.filter((k) => k.kind === "conf");
  const noServer: string[] = [];
  refuseUnmergedCompose(composeFiles.map((k) => k.file.path), given);

  for (const k of composeFiles) {
    given.markUsed(k.file.path);
    const read = readCompose(k.file, (k.docs as YamlDocument[])[0] as YamlDocument, given, options);
    set.deployments.push(...read.deployments);
    set.skipped.push(...read.skipped);
    if (read.deployments.length === 0 && options.service === undefined) {
      noServer.push(`${k.file.path} has no Redis or Valkey service; its services: ${read.services.map((s) => `${s.name} (${s.image ?? "no image"}${skipReason(read.skipped, s.name)})`).join(", ") || "none"}`);
    }
  }
  if (manifests.length > 0) {
    const read = readKubernetes(manifests, given, options);
    set.deployments.push(...read.deployments);
    set.skipped.push(...read.skipped);
    if (read.deployments.length === 0 && options.service === undefined) {
      noServer.push(`${manifests.map((m) => m.path).join(", ")}: no Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet runs Redis or Valkey; containers: ${read.containers.map((c) => `${c.name} (${c.image ?? "no image"}${skipReason(read.skipped, c.name)})`).join(", ") || "none"}`);
    }
  }
  if (options.command !== undefined) {
    set.deployments.push(commandDeployment(options.command, given, options));
  } else if (composeFiles.length === 0 && manifests.length === 0) {
    const standalone = confs.map((k) => confDeployment(k.file, given, options));
    // A conf another given conf includes is part of that one, not a deployment of its own.
    const included = new Set(standalone.flatMap((d) => d.directives.flatMap((x) => (x.origin.kind === "file" && x.origin.file !== d.file ? [x.origin.file] : []))));
    set.deployments.push(...standalone.filter((d) => !included.has(d.file ?? "")));
  }
  if (set.deployments.length === 0) {
    if (options.service !== undefined) {
      throw new DeploymentError("no-such-service", `no Redis or Valkey service or container named ${options.service} in ${files.map((f) => f.path).join(", ")}`);
    }
    if (noServer.length > 0) throw new DeploymentError("no-redis-service", noServer.join("\n"));
    throw new DeploymentError("no-redis-service", `nothing to judge in ${files.map((f) => f.path).join(", ") || "no files"}: give a compose file, Kubernetes manifests, a redis.conf or --command`);
  }
  const unused = files.filter((f) => !given.isUsed(f.path));
  if (unused.length > 0) {
    throw new DeploymentError(
      "unused-file",
      `${unused.map((f) => f.path).join(", ")} ${unused.length === 1 ? "is" : "are"} given, but no service mounts or includes ${unused.length === 1 ? "it" : "them"} (read as ${unused.map((f) => kinds.find((k) => k.file === f)?.kind).join(", ")}): check the mount paths, or leave ${unused.length === 1 ? "it" : "them"} out`,
      unused[0]?.path,
    );
  }
  return set;
}

const DEFAULT_COMPOSE_NAMES = new Set(["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]);
const OVERRIDE_NAMES = ["compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"];

// Compose merges several files (and, for a default-named file, the override beside it) into one
// model; reading each alone would judge a service the override changes (a tmpfs over /data) as written in the base.
function refuseUnmergedCompose(paths: string[], given: GivenFiles): void {
  const merge = (files: string[]): string => `docker compose ${files.map((f) => `-f ${f}`).join(" ")} config > merged.yml && redis-persistence gate merged.yml`;
  if (paths.length > 1) {
    throw new DeploymentError("unmerged-compose", `${paths.join(", ")}: compose merges these files into one model, and the gate reads one compose model: gate the merged model instead: ${merge(paths)}`, paths[1]);
  }
  const base = paths[0];
  if (base === undefined || !DEFAULT_COMPOSE_NAMES.has(path.basename(base))) return;
  const override = OVERRIDE_NAMES.map((name) => path.join(path.dirname(base), name)).find((p) => given.read(p) !== undefined);
  if (override === undefined) return;
  throw new DeploymentError(
    "unmerged-compose",
    `${override} sits beside ${base}, and \`docker compose up\` reads it over ${base} by itself: gate the model compose runs: ${merge([base, override])} (or, if you deploy with \`-f ${base}\` alone: docker compose -f ${base} config > merged.yml)`,
    override,
  );
}

function skipReason(skipped: Skipped[], name: string): string {
  const reason = skipped.find((s) => s.name === name || s.name.endsWith(` container ${name}`))?.reason;
  return reason && !/neither Redis nor Valkey/.test(reason) ? `: ${reason}` : "";
}

/** Reads the files from disk and then every deployment in them (the CLI's entry). */
export async function readDeploymentFiles(paths: string[], options: ReadOptions & { command?: string | string[] } = {}): Promise<DeploymentSet> {
  const { readFile } = await import("node:fs/promises");
  const files: SourceFile[] = [];
  for (const p of paths) {
    try {
      files.push({ path: p, text: await readFile(p, "utf8") });
    } catch (error) {
      throw new DeploymentError("missing-file", `${p}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, p);
    }
  }
  return readDeployments(files, options);
}
