import type { StartedRedisNode } from "../runtime/redis-node.js";

/** The names of the process-level faults; each says how the Redis process ends. */
export type FaultName = "graceful-stop" | "sigkill" | "short-grace" | "recreate-same-volume" | "recreate-without-volume";

/** What a fault needs to know about the case it hits. */
export interface FaultContext {
  /** The named volume the node runs on, if any. */
  volume: string | undefined;
}

/** The node after a fault has healed, and how long it took to serve again (ms). */
export interface Recovered {
  node: StartedRedisNode;
  recoveryMs: number;
}

/** A way for the Redis process to end (`inject`) and a way to bring a server back (`heal`). */
export interface Fault<Name extends string = FaultName> {
  name: Name;
  /** One sentence: what happens to the process and its data dir. */
  description: string;
  /** A dataset this large (MiB) is loaded before the writes, when the fault needs a slow save. */
  datasetMiB?: number;
  /** Ends the process while writes are in flight; resolves once it has exited. */
  inject(node: StartedRedisNode, ctx: FaultContext): Promise<void>;
  /** Brings a server back on whatever data survived. */
  heal(node: StartedRedisNode, ctx: FaultContext): Promise<Recovered>;
}
