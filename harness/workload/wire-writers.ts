import net from "node:net";
import type { HistoryRecorder } from "./history.js";
import { encodeRecord, recordKey } from "./record.js";
import type { RunningWriters } from "./writers.js";

/** Where and how the wire writers connect: a Redis on a published port, and when a write counts as lost in the wire. */
export interface WireWritersOptions {
  clients: number;
  /** Writes in flight per connection, sent together; each reply acknowledges the oldest, as Redis replies in order. */
  depth: number;
  keyPrefix: string;
  valueBytes: number;
  recorder: HistoryRecorder;
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** A write with no reply after this long is recorded as unknown (`info`) and its connection is dropped. */
  commandTimeoutMs: number;
}

const RETRY_AFTER_FAIL_MS = 20;
const TIMEOUT_CHECK_MS = 100;

/**
 * The writers of startWriters on a bare socket: SET commands encoded straight into RESP and sent
 * `depth` at a time, replies read in order, one timer per connection instead of one per command
 * (what ioredis costs: measured by `npm run bench:writers`). Same history: each write invoked before it is sent, completed by exactly
 * its own reply (ok, or fail with the error), unknown (`info`) when the connection breaks or the
 * reply is late; never retried, never queued while disconnected. A client whose connection breaks
 * stops: the server is going away.
 */
export async function startWireWriters(options: WireWritersOptions): Promise<RunningWriters> {
  const sockets = await Promise.all(Array.from({ length: options.clients }, () => openSocket(options)));
  const lanes = sockets.map((socket, client) => new WireLane(socket, client, options));
  for (const lane of lanes) lane.start();
  return {
    async stop() {
      await Promise.all(lanes.map((lane) => lane.stop()));
    },
  };
}

function openSocket(options: WireWritersOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection to ${options.host}:${options.port} within ${options.connectTimeoutMs} ms`));
    }, options.connectTimeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      // Until its lane starts (the other clients may still be connecting), an error must not go unhandled; the lane sees the socket destroyed.
      socket.on("error", () => undefined);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

// One connection's writes: a FIFO of the sequence numbers in flight, matched to replies in order.
class WireLane {
  private nextSeq = 0;
  private readonly inFlight: { seq: number; sentAtMs: number }[] = [];
  private head = 0;
  private pending: Buffer = Buffer.alloc(0);
  private stopping = false;
  private broken = false;
  private waiting = 0;
  private refused = false;
  private readonly done: Promise<void>;
  private finish!: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly socket: net.Socket,
    private readonly client: number,
    private readonly options: WireWritersOptions,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  start(): void {
    this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (error) => this.breakOff(error.message));
    this.socket.on("close", () => this.breakOff("connection closed"));
    this.timer = setInterval(() => this.checkLate(), TIMEOUT_CHECK_MS);
    if (this.socket.destroyed) return this.breakOff("connection closed before the first write");
    this.sendBatch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.settleIfIdle();
    await this.done;
  }

  // `depth` SETs in one write, the next batch once every reply is in: redis-benchmark's -P shape, one
  // read and one write a batch on both sides instead of one a command (measured: bench:writers).
  private sendBatch(): void {
    if (this.stopping || this.broken) return;
    let commands = "";
    for (let i = 0; i < this.options.depth; i++) {
      const seq = this.nextSeq++;
      const key = recordKey(this.options.keyPrefix, { client: this.client, seq });
      const value = encodeRecord({ client: this.client, seq }, this.options.valueBytes);
      this.options.recorder.invoke(this.client, seq);
      this.inFlight.push({ seq, sentAtMs: Date.now() });
      commands += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
    }
    // Keys and records are ASCII (record.ts): latin1 skips the UTF-8 scan, and length is the byte count.
    this.socket.write(commands, "latin1");
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = 0;
    for (;;) {
      const end = this.pending.indexOf("\r\n", start);
      if (end < 0) break;
      const line = this.pending.toString("latin1", start, end);
      start = end + 2;
      this.onReply(line);
      if (this.broken) return;
    }
    this.pending = this.pending.subarray(start);
    if (this.head < this.inFlight.length) return;
    this.compact();
    if (!this.refused) {
      this.sendBatch();
      return this.settleIfIdle();
    }
    // As the ioredis writers do after a refused write: wait a little before the next.
    this.refused = false;
    this.waiting++;
    setTimeout(() => {
      this.waiting--;
      this.sendBatch();
      this.settleIfIdle();
    }, RETRY_AFTER_FAIL_MS);
  }

  private onReply(line: string): void {
    const write = this.inFlight[this.head];
    if (write === undefined) return this.breakOff(`a reply with no write in flight: ${line.slice(0, 80)}`);
    if (line === "+OK") {
      this.head++;
      this.options.recorder.complete(this.client, write.seq, "ok");
    } else if (line.startsWith("-")) {
      this.head++;
      this.options.recorder.complete(this.client, write.seq, "fail", line.slice(1));
      this.refused = true;
    } else {
      // A plain SET has no other reply (not +QUEUED, not $-1): the stream can no longer be trusted to match the writes.
      this.breakOff(`an unexpected reply to SET: ${line.slice(0, 80)}`);
    }
  }

  private checkLate(): void {
    const oldest = this.inFlight[this.head];
    if (oldest !== undefined && Date.now() - oldest.sentAtMs > this.options.commandTimeoutMs) this.breakOff(`no reply within ${this.options.commandTimeoutMs} ms`);
  }

  // Every write still in flight has an unknown outcome: it may or may not have reached the server.
  private breakOff(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    for (let i = this.head; i < this.inFlight.length; i++) this.options.recorder.complete(this.client, (this.inFlight[i] as { seq: number }).seq, "info", reason);
    this.head = this.inFlight.length;
    this.socket.destroy();
    this.settleIfIdle();
  }

  // Settled once no pause is pending and either the socket broke or a stop found every reply in.
  private settleIfIdle(): void {
    const settled = this.waiting === 0 && (this.broken || (this.stopping && this.head >= this.inFlight.length));
    if (!settled) return;
    clearInterval(this.timer);
    if (!this.socket.destroyed) this.socket.destroy();
    this.finish();
  }

  // Called with nothing in flight: the FIFO starts again.
  private compact(): void {
    this.inFlight.length = 0;
    this.head = 0;
  }
}

/** What a workload's writers are: how many clients, writes in flight each, keys and record size, and where the history goes. */
export type WriterShape = Pick<WireWritersOptions, "clients" | "depth" | "keyPrefix" | "valueBytes" | "recorder">;

/** The wire writers against a server's published port on 127.0.0.1, with the harness's client timeouts (5 s, as its ioredis clients had). */
export async function startWritersOn(node: { hostPort(): Promise<number> }, shape: WriterShape): Promise<RunningWriters> {
  return startWireWriters({ ...shape, host: "127.0.0.1", port: await node.hostPort(), connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 });
}
