import type { Clock } from "./clock.js";

/** How an operation ended: `info` means the outcome is unknown (a reset connection, a timeout). */
export type OpType = "invoke" | "ok" | "fail" | "info";

/** One event of one write: its invocation, then exactly one completion. Times in ms. */
export interface Op {
  client: number;
  seq: number;
  type: OpType;
  atMs: number;
  error?: string;
}

/** A named point in time bracketed by its invocation and its acknowledgement, e.g. a BGSAVE. */
export interface Mark {
  name: string;
  invokeAtMs: number;
  okAtMs: number;
}

/** Everything a workload did, in order: the input of every checker. */
export interface History {
  ops: readonly Op[];
  marks: readonly Mark[];
}

/** Append-only recorder of a workload's operations. */
export class HistoryRecorder {
  private readonly ops: Op[] = [];
  private readonly marks: Mark[] = [];

  constructor(private readonly clock: Clock) {}

  invoke(client: number, seq: number): void {
    this.ops.push({ client, seq, type: "invoke", atMs: this.clock.nowMs() });
  }

  complete(client: number, seq: number, type: Exclude<OpType, "invoke">, error?: string): void {
    const op: Op = { client, seq, type, atMs: this.clock.nowMs() };
    if (error !== undefined) op.error = error;
    this.ops.push(op);
  }

  /** Runs `action` and records it as a mark spanning its invocation and completion. */
  async mark<T>(name: string, action: () => Promise<T>): Promise<T> {
    const invokeAtMs = this.clock.nowMs();
    const result = await action();
    this.marks.push({ name, invokeAtMs, okAtMs: this.clock.nowMs() });
    return result;
  }

  /** Adds a mark measured elsewhere (e.g. the last fsync a filesystem saw), on this recorder's clock. */
  addMark(name: string, invokeAtMs: number, okAtMs: number): void {
    this.marks.push({ name, invokeAtMs, okAtMs });
  }

  acknowledgedCount(): number {
    let n = 0;
    for (const op of this.ops) if (op.type === "ok") n++;
    return n;
  }

  history(): History {
    return { ops: [...this.ops], marks: [...this.marks] };
  }
}
