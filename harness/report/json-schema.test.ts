import { describe, expect, it } from "vitest";
import type { Schema } from "./json-schema.js";
import { validateJson } from "./json-schema.js";

const schema: Schema = {
  type: "object",
  required: ["version", "items"],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    items: { type: "array", minItems: 1, items: { $ref: "#/$defs/item" } },
    maybe: { oneOf: [{ type: "null" }, { $ref: "#/$defs/item" }] },
  },
  $defs: {
    item: {
      type: "object",
      required: ["name", "count"],
      additionalProperties: false,
      properties: {
        name: { type: "string", pattern: "^[a-z-]+$" },
        count: { type: "integer", minimum: 0 },
        valid: { enum: [true, false, "unknown"] },
        bound: { type: ["number", "null"], minimum: 0 },
      },
    },
  },
};

describe("validateJson", () => {
  it("accepts a document that follows the schema", () => {
    expect(validateJson({ version: 1, items: [{ name: "a-b", count: 2, valid: "unknown", bound: null }], maybe: null }, schema)).toEqual([]);
  });

  it.each([
    [{ version: 2, items: [{ name: "a", count: 1 }] }, "$.version: expected 1, got 2"],
    [{ version: 1, items: [] }, "$.items: 0 items, expected at least 1"],
    [{ version: 1 }, '$: missing required property "items"'],
    [{ version: 1, items: [{ name: "a", count: 1.5 }] }, "$.items[0].count: expected integer, got number"],
    [{ version: 1, items: [{ name: "a", count: -1 }] }, "$.items[0].count: -1 is below the minimum 0"],
    [{ version: 1, items: [{ name: "A", count: 1 }] }, '$.items[0].name: "A" does not match ^[a-z-]+$'],
    [{ version: 1, items: [{ name: "a", count: 1, valid: "yes" }] }, '$.items[0].valid: "yes" is not one of [true,false,"unknown"]'],
    [{ version: 1, items: [{ name: "a", count: 1, extra: 1 }] }, '$.items[0]: unexpected property "extra"'],
    [{ version: 1, items: [{ name: "a", count: 1, bound: "x" }] }, "$.items[0].bound: expected number or null, got string"],
    [{ version: 1, items: [{ name: "a", count: 1 }], maybe: 3 }, "$.maybe: matches 0 of the oneOf alternatives, expected exactly 1"],
  ])("reports %j", (doc, message) => {
    expect(validateJson(doc, schema)).toContain(message);
  });

  it("refuses a keyword it does not implement instead of ignoring it", () => {
    expect(() => validateJson({}, { type: "object", maxProperties: 1 } as Schema)).toThrow(/maxProperties.*not supported/);
  });
});
