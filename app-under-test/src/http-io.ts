import type { IncomingMessage, ServerResponse } from "node:http";

/** A request that cannot be served as sent: the HTTP status, why, and the field concerned if any. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Reads and parses a JSON body of at most `maxBytes`; throws HttpError 413 or 400 naming the body. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = (): HttpError => new HttpError(413, `request body exceeds ${maxBytes} bytes (MAX_BODY_BYTES); send fewer points per request`, "body");
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length;
    if (bytes > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new HttpError(400, "empty body; expected a JSON object", "body");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `malformed JSON (${error instanceof Error ? error.message : String(error)})`, "body");
  }
}

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}
