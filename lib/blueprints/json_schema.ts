import { type Schema, Validator } from "@cfworker/json-schema";
import type { FieldError } from "../errors.ts";

/** Any JSON Schema (draft 2020-12): an object of keywords, or `true`/`false`. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** An object schema, the shape every blueprint and every merged schema has. */
export interface JsonObjectSchema {
  type: "object";
  properties: Record<string, JsonSchema>;
  required?: string[];
  /** Absent means "no attributes beyond `properties`" for {@link validateAttributes}. */
  additionalProperties?: JsonSchema;
  $defs?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

/** The JSON types {@link attributeTypes} reports. */
export type AttributeType = "string" | "number" | "integer" | "boolean" | "array" | "object";

const DRAFT = "2020-12";
const CACHE_MAX = 256;
// Compiled validators keyed by the schema's JSON text: the key *is* the content, so a hit can never
// be stale or belong to another tenant, and the cap bounds memory however many schemas an isolate
// sees. Safe to share across requests.
const compiled = new Map<string, Validator>();

/** A validator for `schema`, compiled once per distinct schema text. Throws when it cannot compile. */
export function validatorFor(schema: JsonSchema): Validator {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit) return hit;
  const v = new Validator(schema as Schema | boolean, DRAFT, false);
  if (compiled.size >= CACHE_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, v);
  return v;
}

// Keywords whose own error only says "a sub-schema failed"; the sub-schema's error names the field.
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "$ref",
]);

const pointerToPath = (p: string) =>
  p
    .replace(/^#/, "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~"));

/** Runs a validator and maps its output to one field error per failing location under `prefix`. */
export function schemaErrors(schema: JsonSchema, instance: unknown, prefix = "json"): FieldError[] {
  const out = new Map<string, string>();
  for (const e of validatorFor(schema).validate(instance).errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const path = pointerToPath(e.instanceLocation);
    let message = e.error;
    if (e.keyword === "required") {
      const m = /required property "(.*)"/.exec(e.error);
      if (m?.[1] !== undefined) path.push(m[1]);
      message = "is required";
    } else if (e.keyword === "false") message = "is not allowed here";
    const location = [prefix, ...path].join(".");
    if (!out.has(location)) out.set(location, message);
  }
  return [...out].map(([location, message]) => ({ location, message }));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function isDeclared(schema: JsonObjectSchema, key: string): boolean {
  if (Object.hasOwn(schema.properties ?? {}, key)) return true;
  const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
  return patterns.some((p) => new RegExp(p, "u").test(key));
}

/**
 * Validates `attrs` (only the blueprint attributes, not core fields) against a merged schema;
 * returns field errors with location `json.<prop>` (empty = valid). Unknown attributes (not in
 * `properties`) are errors unless the schema allows `additionalProperties`. A `null` value for a
 * property that is not required means "unset" and is accepted (blueprint attributes are nullable).
 */
export function validateAttributes(schema: JsonObjectSchema, attrs: Record<string, unknown>): FieldError[] {
  const required = new Set(schema.required ?? []);
  const openEnded = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  const errors: FieldError[] = [];
  const instance: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (!openEnded && !isDeclared(schema, k)) {
      errors.push({
        location: `json.${k}`,
        message: "is not an attribute defined by any applicable blueprint",
      });
      continue;
    }
    if (v === null && !required.has(k)) continue;
    instance[k] = v;
  }
  return [...errors, ...schemaErrors(schema, instance)];
}

/** Fills `default`s from the schema for absent properties; returns a new object. */
export function applyDefaults(
  schema: JsonObjectSchema,
  attrs: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...attrs };
  for (const [k, p] of Object.entries(schema.properties ?? {}))
    if (out[k] === undefined && isObject(p) && p.default !== undefined) out[k] = structuredClone(p.default);
  return out;
}

const TYPES: readonly AttributeType[] = ["string", "number", "integer", "boolean", "array", "object"];

function typeOfValue(v: unknown): AttributeType | undefined {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (Array.isArray(v)) return "array";
  return isObject(v) ? "object" : undefined;
}

/**
 * Property names (and their JSON types) that a merged schema defines — used by project list
 * filters to coerce values. The type is the declared `type` (the first non-null one of a list),
 * else inferred from `const`/`enum`, else `"string"`.
 */
export function attributeTypes(schema: JsonObjectSchema): Record<string, AttributeType> {
  const out: Record<string, AttributeType> = {};
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    let t: AttributeType | undefined;
    if (isObject(p)) {
      const declared = Array.isArray(p.type) ? p.type.find((x) => x !== "null") : p.type;
      if (TYPES.includes(declared as AttributeType)) t = declared as AttributeType;
      else if (p.const !== undefined) t = typeOfValue(p.const);
      else if (Array.isArray(p.enum)) t = typeOfValue(p.enum.find((x) => x !== null));
    }
    out[k] = t ?? "string";
  }
  return out;
}
