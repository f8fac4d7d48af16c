/** Why a deployment could not be read. */
export type DeploymentErrorCode =
  /** The YAML does not parse; the message is `file:line:column: message`. */
  | "yaml-syntax"
  /** A Helm, ERB or Jinja template that was not rendered. */
  | "unrendered-template"
  /** The content is none of the kinds the readers know. */
  | "unknown-kind"
  /** A compose file or manifest with no Redis or Valkey server in it. */
  | "no-redis-service"
  /** --service names nothing in the files. */
  | "no-such-service"
  /** A file, ConfigMap or Secret that the deployment reads but that was not given. */
  | "missing-file"
  /** A file was given that nothing in the deployment reads. */
  | "unused-file"
  /** Several compose files, or a default-named one with an override beside it: compose merges them, the gate reads one model. */
  | "unmerged-compose"
  /** The image is neither Redis nor Valkey. */
  | "not-redis-image"
  /** A compose `${VAR:?message}` or `${VAR?message}` whose variable is not set, or an invalid template. */
  | "interpolation"
  /** A command line compose or a shell would refuse, or redis-server would never be started by it. */
  | "bad-command"
  /** A compose file or manifest that compose or kubectl would refuse (an undefined volume, a service that is not a mapping). */
  | "invalid-file"
  /** Something the readers deliberately do not support (config from stdin, Sentinel). */
  | "unsupported";

/** A deployment the readers cannot read, with what was wrong and what to do. The CLI maps it to exit code 2. */
export class DeploymentError extends Error {
  constructor(
    readonly code: DeploymentErrorCode,
    message: string,
    /** The file it concerns, as given. */
    readonly file?: string,
  ) {
    super(message);
    this.name = "DeploymentError";
  }
}
