/** The subset of JSON Schema (2020-12) that report-schema.json uses; any other keyword is refused, not ignored. */
export interface Schema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, Schema>;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  oneOf?: Schema[];
}

type JsonType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

const KNOWN_KEYWORDS = new Set([
  "$schema", "$id", "$ref", "$defs", "title", "description", "type", "enum", "const", "minimum", "pattern",
  "properties", "required", "additionalProperties", "items", "minItems", "oneOf",
]);

/** Validates `value` against `root`; returns one message per violation, each with its JSON path. Empty means valid. */
export function validateJson(value: unknown, root: Schema): string[] {
  const errors: string[] = [];
  check(value, root, root, "$", errors);
  return errors;
}

function check(value: unknown, schema: Schema, root: Schema, path: string, errors: string[]): void {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) throw new Error(`schema keyword "${keyword}" at ${path} is not supported by this validator; add it to json-schema.ts or avoid it`);
  }
  if (schema.$ref !== undefined) {
    check(value, resolveRef(schema.$ref, root), root, path, errors);
    return;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) {
      errors.push(`${path}: expected ${types.join(" or ")}, got ${typeName(value)}`);
      return;
    }
  }
  if (schema.const !== undefined && !sameJson(value, schema.const)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum !== undefined && !schema.enum.some((option) => sameJson(value, option))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.oneOf !== undefined) {
    const matching = schema.oneOf.filter((option) => validateJsonAt(value, option, root, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of the oneOf alternatives, expected exactly 1`);
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: ${value} is below the minimum ${schema.minimum}`);
  if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: ${value.length} items, expected at least ${schema.minItems}`);
    if (schema.items) value.forEach((item, i) => check(item, schema.items as Schema, root, `${path}[${i}]`, errors));
  }
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (!(name in value)) errors.push(`${path}: missing required property "${name}"`);
    for (const [name, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[name];
      if (childSchema) check(child, childSchema, root, `${path}.${name}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${name}"`);
    }
  }
}

function validateJsonAt(value: unknown, schema: Schema, root: Schema, path: string): string[] {
  const errors: string[] = [];
  check(value, schema, root, path, errors);
  return errors;
}

function resolveRef(ref: string, root: Schema): Schema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = match ? root.$defs?.[match[1] as string] : undefined;
  if (!target) throw new Error(`schema $ref "${ref}" cannot be resolved: only "#/$defs/<name>" refs to existing definitions are supported`);
  return target;
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
