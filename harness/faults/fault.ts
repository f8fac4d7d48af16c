import type { StartedRedisNode } from "../runtime/redis-node.js";
import type { MountedFaultFs } from "./fault-fs/fault-fs.js";

/** The names of the process-level faults; each says how the Redis process ends. */
export type FaultName = "graceful-stop" | "sigkill" | "short-grace" | "recreate-same-volume" | "recreate-without-volume";

/** What a fault needs to know about the case it hits. */
export interface FaultContext {
  /** The named volume the node runs on, if any (a host path when /data is on fault-fs). */
  volume: string | undefined;
  /** The fault filesystem under /data, when the case runs on one: disk faults need it. */
  faultFs?: MountedFaultFs;
  /** Records a figure the fault measured (an INFO counter, a log line), reported with the cell. */
  measure?(name: string, value: number | string): void;
  /**
   * Records whether the fault bit as it claims (an exit code, a log line, unsynced bytes at a cut).
   * A claim that does not hold makes the cell "unknown": the run cannot speak for the contract.
   */
  prove?(proof: FaultProof): void;
  /** Adds a named point in time to the history (ms, the workload clock), e.g. the last moment an fsync made durable. */
  mark?(name: string, invokeAtMs: number, okAtMs: number): void;
  /** Says the fault cannot do here what its contract is about (e.g. no final save to interrupt): the cell is "not applicable". */
  notApplicable?(reason: string): void;
}

/** One thing a fault claims to have done, whether it held, and what was seen. */
export interface FaultProof {
  claim: string;
  held: boolean;
  seen: string;
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
  /** The container runs under this memory limit (bytes, no swap beyond it), when the fault is about one. */
  memoryLimitBytes?: number;
  /** Ends the process while writes are in flight; resolves once it has exited. */
  inject(node: StartedRedisNode, ctx: FaultContext): Promise<void>;
  /** Brings a server back on whatever data survived. */
  heal(node: StartedRedisNode, ctx: FaultContext): Promise<Recovered>;
}
