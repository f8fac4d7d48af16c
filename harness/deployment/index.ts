/** The deployment model and its readers: what the gate and the matrix import. */
export type {
  DataDir,
  Deployment,
  DeploymentDirective,
  DeploymentKind,
  DirectiveOrigin,
  Finding,
  ImageFamily,
  ImageRef,
  MemoryLimit,
  Pid1,
  ReadOptions,
  ServerKind,
  SourceFile,
  StopGrace,
  Storage,
  StorageKind,
  Survival,
} from "./deployment.js";
export { describeOrigin } from "./deployment.js";
export type { DeploymentErrorCode } from "./deployment-error.js";
export { DeploymentError } from "./deployment-error.js";
export type { DeploymentSet, SourceKind } from "./read-deployments.js";
export { detectKind, readDeploymentFiles, readDeployments } from "./read-deployments.js";
export { parseImageRef } from "./image-ref.js";
export { renderConf } from "./render-conf.js";
export type { RenderedConf } from "./render-conf.js";
