import type { Deployment, DirectiveOrigin } from "./deployment.js";
import { sdscatrepr } from "./server-argv.js";

/** A deployment's settings as one redis.conf, with where each line came from. */
export interface RenderedConf {
  /** One directive a line, in the order Redis applies them (includes inlined, flags last): Redis reads it exactly as it reads the file plus flags. */
  text: string;
  /** origins[i] is where line i + 1 came from. */
  origins: DirectiveOrigin[];
}

/**
 * Renders a deployment's directives as one config file, so that a redis.conf-only consumer (the
 * gate's parseConf/effectiveConf/hazards, `redis-server --test` style checks) judges the
 * deployment as written: file lines as written, flags and image-set lines quoted as main() quotes
 * flags. Line n of `text` came from `origins[n - 1]`. Pure.
 */
export function renderConf(deployment: Deployment): RenderedConf {
  const lines: string[] = [];
  const origins: DirectiveOrigin[] = [];
  for (const d of deployment.directives) {
    lines.push(d.origin.kind === "file" || d.origin.kind === "flag" ? d.text : [d.name, ...d.args.map(quote)].join(" "));
    origins.push(d.origin);
  }
  return { text: lines.length ? `${lines.join("\n")}\n` : "", origins };
}

function quote(arg: string): string {
  return arg !== "" && /^[^\s"'\\]+$/.test(arg) ? arg : sdscatrepr(arg);
}
