import { DomainError, type FieldError } from "../errors.ts";
import { type JsonObjectSchema, schemaErrors, validatorFor } from "./json_schema.ts";

/** Core entity fields a blueprint may not define (they are not blueprint attributes). */
export const RESERVED_ATTRIBUTES: readonly string[] = [
  "id",
  "org_id",
  "slug",
  "name",
  "description",
  "archived",
  "links",
  "identifiers",
  "team",
  "project_types",
  "environments",
  "created_at",
  "updated_at",
  "score",
];

/** Attribute names become top-level vertex properties (and Cypher text), so they are restricted. */
export const ATTRIBUTE_NAME = /^[a-z_][a-z0-9_]*$/;

const DRAFT_URI = "https://json-schema.org/draft/2020-12/schema";
// Only keywords that can be folded property by property are allowed at the top level: a top-level
// `allOf` or `if` of one blueprint could not be merged with another's.
const TOP_LEVEL = new Set([
  "$schema",
  "$comment",
  "title",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "$defs",
  "examples",
]);
const INSTANCE_TYPES = new Set(["array", "boolean", "integer", "null", "number", "object", "string"]);
const SUB_SCHEMA = ["items", "contains", "not", "if", "then", "else", "additionalProperties"];
const SUB_SCHEMA_2 = ["unevaluatedProperties", "unevaluatedItems", "propertyNames", "additionalItems"];
const SUB_LIST = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const SUB_MAP = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const compiles = (pattern: string) => {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
};

// Blueprints are self-contained: a reference must be a JSON pointer into the same document.
function resolves(root: unknown, ref: string): boolean {
  if (!ref.startsWith("#")) return false;
  let node = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** Checks the keywords the validator only trips over at validation time (types, patterns, lists). */
function walk(root: unknown, node: unknown, at: string, errors: FieldError[]): void {
  if (typeof node === "boolean") return;
  if (!isObject(node)) {
    errors.push({ location: at, message: "must be a schema (an object or a boolean)" });
    return;
  }
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  if (types.some((t) => typeof t !== "string" || !INSTANCE_TYPES.has(t)))
    errors.push({ location: `${at}.type`, message: `must be one of ${[...INSTANCE_TYPES].join(", ")}` });
  if (node.pattern !== undefined && (typeof node.pattern !== "string" || !compiles(node.pattern)))
    errors.push({ location: `${at}.pattern`, message: "must be a valid regular expression" });
  if (
    node.required !== undefined &&
    !(Array.isArray(node.required) && node.required.every((r) => typeof r === "string"))
  )
    errors.push({ location: `${at}.required`, message: "must be an array of property names" });
  if (node.$ref !== undefined && (typeof node.$ref !== "string" || !resolves(root, node.$ref)))
    errors.push({ location: `${at}.$ref`, message: "must point into this schema (#/$defs/…)" });
  if (node.enum !== undefined && !Array.isArray(node.enum))
    errors.push({ location: `${at}.enum`, message: "must be an array" });
  for (const k of [...SUB_SCHEMA, ...SUB_SCHEMA_2])
    if (node[k] !== undefined && !(k === "items" && Array.isArray(node[k])))
      walk(root, node[k], `${at}.${k}`, errors);
  for (const k of SUB_LIST) {
    const list = node[k];
    if (k === "items" && !Array.isArray(list)) continue;
    if (list === undefined) continue;
    if (!Array.isArray(list)) errors.push({ location: `${at}.${k}`, message: "must be an array of schemas" });
    else for (const [i, s] of list.entries()) walk(root, s, `${at}.${k}.${i}`, errors);
  }
  for (const k of SUB_MAP) {
    const map = node[k];
    if (map === undefined) continue;
    if (!isObject(map)) errors.push({ location: `${at}.${k}`, message: "must be an object of schemas" });
    else
      for (const [name, s] of Object.entries(map)) {
        if (k === "patternProperties" && !compiles(name))
          errors.push({ location: `${at}.${k}.${name}`, message: "must be a valid regular expression" });
        walk(root, s, `${at}.${k}.${name}`, errors);
      }
  }
}

/**
 * Checks that a blueprint schema is an object schema whose properties are allowed attribute names,
 * that the validator can compile it, and that each property's `default` passes its own schema.
 * Throws VALIDATION_FAILED (400) listing every problem under `json.schema`.
 */
export function checkBlueprintSchema(schema: unknown, at = "json.schema"): JsonObjectSchema {
  const errors: FieldError[] = [];
  const fail = (): never => {
    throw new DomainError(
      "VALIDATION_FAILED",
      `The blueprint schema is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  };
  if (!isObject(schema)) {
    errors.push({ location: at, message: 'must be a JSON Schema object with type "object"' });
    return fail();
  }
  if (schema.type !== "object") errors.push({ location: `${at}.type`, message: 'must be "object"' });
  if (!isObject(schema.properties))
    errors.push({
      location: `${at}.properties`,
      message: "must be an object mapping attribute names to schemas",
    });
  if (schema.$schema !== undefined && schema.$schema !== DRAFT_URI)
    errors.push({ location: `${at}.$schema`, message: `must be ${DRAFT_URI} (or absent)` });
  for (const k of Object.keys(schema))
    if (!TOP_LEVEL.has(k) && !k.startsWith("x-"))
      errors.push({
        location: `${at}.${k}`,
        message: `top-level keyword '${k}' cannot be merged with other blueprints; put constraints inside a property`,
      });
  // Annotations are merged into the published schemas, so they must have their JSON Schema types.
  for (const k of ["title", "description", "$comment"])
    if (schema[k] !== undefined && typeof schema[k] !== "string")
      errors.push({ location: `${at}.${k}`, message: "must be a string" });
  if (schema.examples !== undefined && !Array.isArray(schema.examples))
    errors.push({ location: `${at}.examples`, message: "must be an array" });
  for (const name of Object.keys(isObject(schema.properties) ? schema.properties : {})) {
    if (!ATTRIBUTE_NAME.test(name))
      errors.push({
        location: `${at}.properties.${name}`,
        message: "attribute names must match ^[a-z_][a-z0-9_]*$",
      });
    else if (RESERVED_ATTRIBUTES.includes(name))
      errors.push({
        location: `${at}.properties.${name}`,
        message: `'${name}' is a reserved core field name`,
      });
  }
  walk(schema, schema, at, errors);
  if (errors.length > 0) fail();
  const props = schema.properties as Record<string, unknown>;
  for (const r of (schema.required ?? []) as string[])
    if (!Object.hasOwn(props, r))
      errors.push({ location: `${at}.required`, message: `'${r}' is not a property` });
  try {
    validatorFor(schema).validate({});
    for (const [name, p] of Object.entries(props)) {
      if (!isObject(p) || p.default === undefined) continue;
      for (const e of schemaErrors(schema, { [name]: p.default }))
        if (e.location === `json.${name}` || e.location.startsWith(`json.${name}.`))
          errors.push({ location: `${at}.properties.${name}.default`, message: e.message });
    }
  } catch (e) {
    errors.push({ location: at, message: `cannot be compiled: ${(e as Error).message.split("\n")[0]}` });
  }
  if (errors.length > 0) fail();
  return schema as JsonObjectSchema;
}
