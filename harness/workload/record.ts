/** The identity of one written record: which client wrote it, and its sequence number. */
export interface RecordId {
  client: number;
  seq: number;
}

/** What a stored value turned out to be when read back. */
export type DecodedRecord = { ok: true; id: RecordId } | { ok: false; reason: string };

const SEPARATOR = "|";

/** The key a record is written under; `prefix` separates runs and cases. */
export function recordKey(prefix: string, id: RecordId): string {
  return `${prefix}:${id.client}:${id.seq}`;
}

/** The value written for a record: client, seq, a padding, and a checksum over all of it. */
export function encodeRecord(id: RecordId, paddingBytes: number): string {
  const body = `${id.client}${SEPARATOR}${id.seq}${SEPARATOR}${padding(id, paddingBytes)}`;
  return `${body}${SEPARATOR}${fnv1a(body)}`;
}

/** Checks a read-back value against the record that should be under that key. */
export function decodeRecord(expected: RecordId, value: string): DecodedRecord {
  const cut = value.lastIndexOf(SEPARATOR);
  if (cut < 0) return { ok: false, reason: "no checksum" };
  const body = value.slice(0, cut);
  if (fnv1a(body) !== value.slice(cut + 1)) return { ok: false, reason: "checksum mismatch" };
  const [client, seq] = body.split(SEPARATOR);
  if (Number(client) !== expected.client || Number(seq) !== expected.seq) {
    return { ok: false, reason: `holds record ${client}:${seq}` };
  }
  return { ok: true, id: expected };
}

function padding(id: RecordId, bytes: number): string {
  const unit = `${id.client.toString(36)}${id.seq.toString(36)}`;
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
