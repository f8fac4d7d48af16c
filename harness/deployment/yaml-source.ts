import type { Document } from "yaml";
import { LineCounter, parseAllDocuments } from "yaml";
import { DeploymentError } from "./deployment-error.js";
import type { SourceFile } from "./deployment.js";

/** One YAML document: its plain value, and the line of any node in it. */
export interface YamlDocument {
  value: unknown;
  /** 1-based line of the node at `path`; undefined when the path is not written in this document (e.g. merged in by `<<:`). */
  lineOf(path: (string | number)[]): number | undefined;
}

/**
 * Parses every document of a YAML file with the `yaml` package, merge keys (`<<:`) on as compose
 * and kubectl have them. A syntax error is a DeploymentError reading `file:line:column: message`.
 */
export function parseYaml(file: SourceFile): YamlDocument[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(file.text, { merge: true, lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0] ?? counter.linePos(error.pos[0]);
      const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.message;
      throw new DeploymentError("yaml-syntax", `${file.path}:${pos.line}:${pos.col}: ${message}`, file.path);
    }
  }
  return list.map((doc) => {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      throw new DeploymentError("yaml-syntax", `${file.path}: ${(error as Error).message}`, file.path);
    }
    return {
      value,
      lineOf(path) {
        for (let n = path.length; n > 0; n--) {
          const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
          if (node && typeof node === "object" && node.range) return counter.linePos(node.range[0]).line;
        }
        return undefined;
      },
    };
  });
}

const HELM = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$|include\s|template\s|if\s|else\b|end\b|range\s|with\s|define\s|toYaml|tpl\s)/;
const JINJA_VAR = /\{\{\s*[A-Za-z_][\w.]*\s*(?:\|[^}]*)?\}\}/;

/** Refuses a Helm, ERB or Jinja template: only its rendered output is a manifest. */
export function refuseTemplate(file: SourceFile): void {
  const lines = file.text.split("\n");
  const index = lines.findIndex((l) => HELM.test(l) || /<%=?/.test(l) || /\{%-?\s/.test(l) || JINJA_VAR.test(l));
  if (index === -1) return;
  const line = lines[index] as string;
  const kind = HELM.test(line) ? "a Helm template" : /<%/.test(line) ? "an ERB template" : "a Jinja template";
  const how = kind === "a Helm template" ? "helm template <release> <chart> -f values.yaml > rendered.yaml" : kind === "an ERB template" ? "erb file.yaml.erb > file.yaml" : "your Jinja/Ansible template step";
  throw new DeploymentError("unrendered-template", `${file.path}:${index + 1}: this is ${kind} (\`${line.trim()}\`), not a manifest: render it first (${how}) and give the rendered file`, file.path);
}
