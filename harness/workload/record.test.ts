import { describe, expect, it } from "vitest";
import { decodeRecord, encodeRecord, recordKey } from "./record.js";

describe("records", () => {
  it("round-trips and names its key", () => {
    const id = { client: 3, seq: 1041 };
    expect(decodeRecord(id, encodeRecord(id, 64))).toEqual({ ok: true, id });
    expect(recordKey("w:case", id)).toBe("w:case:3:1041");
  });

  it("detects a flipped byte, a truncation and a record under the wrong key", () => {
    const id = { client: 1, seq: 7 };
    const value = encodeRecord(id, 64);
    expect(decodeRecord(id, value.replace(/^1/, "2"))).toMatchObject({ ok: false, reason: "checksum mismatch" });
    expect(decodeRecord(id, value.slice(0, 20))).toMatchObject({ ok: false });
    expect(decodeRecord({ client: 1, seq: 8 }, value)).toMatchObject({ ok: false, reason: "holds record 1:7" });
  });
});
