// Finishing touches on the generated OpenAPI document, shared by `npm run openapi` and the served
// /openapi.json: the installation's password policy on the password fields (it is configuration,
// so zod cannot state it), and a request example on every operation, made from the field examples
// every schema carries (STYLE H5) and checked against the schema before it is published.
import { type Schema, Validator } from "@cfworker/json-schema";
import type { Env } from "../env.ts";
import { type VersionFormat, versionRule } from "../releases/version.ts";

type Json = Record<string, unknown>;
/** The parts of an OpenAPI 3.1 document this module edits. */
export type OpenApiDocument = {
  paths?: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, unknown> };
} & Json;

/** The password settings the document states. */
export type PasswordPolicy = Pick<
  Env,
  | "IMBI_AUTH_PASSWORD_MIN_LENGTH"
  | "IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE"
  | "IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE"
  | "IMBI_AUTH_PASSWORD_REQUIRE_DIGIT"
  | "IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL"
>;

/** The defaults of lib/env.ts, for the checked-in document. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  IMBI_AUTH_PASSWORD_MIN_LENGTH: 12,
  IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE: true,
  IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE: true,
  IMBI_AUTH_PASSWORD_REQUIRE_DIGIT: true,
  IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL: true,
};

/** Where new passwords are written: component schema and property. */
const PASSWORD_FIELDS = [
  ["CreateUser", "password"],
  ["ChangePassword", "new_password"],
] as const;

/**
 * The policy of lib/auth/password.ts as JSON Schema: length bounds and one `pattern` per required
 * character class (JSON Schema patterns match anywhere in the string, so each says "contains").
 */
export function passwordPolicySchema(p: PasswordPolicy): Json {
  const classes: string[] = [];
  if (p.IMBI_AUTH_PASSWORD_REQUIRE_UPPERCASE) classes.push("\\p{Lu}");
  if (p.IMBI_AUTH_PASSWORD_REQUIRE_LOWERCASE) classes.push("\\p{Ll}");
  if (p.IMBI_AUTH_PASSWORD_REQUIRE_DIGIT) classes.push("\\p{Nd}");
  if (p.IMBI_AUTH_PASSWORD_REQUIRE_SPECIAL) classes.push("[^\\p{L}\\p{Nd}]");
  return {
    minLength: p.IMBI_AUTH_PASSWORD_MIN_LENGTH,
    maxLength: 256,
    ...(classes.length > 0 ? { allOf: classes.map((pattern) => ({ pattern })) } : {}),
  };
}

/** Writes the password policy into the password fields of `doc` (in place). */
export function applyPasswordPolicy(doc: OpenApiDocument, policy: PasswordPolicy): void {
  const rules = passwordPolicySchema(policy);
  for (const [name, field] of PASSWORD_FIELDS) {
    const props = (doc.components?.schemas?.[name] as Json | undefined)?.properties as Json | undefined;
    const prop = props?.[field] as Json | undefined;
    if (!prop) continue;
    Object.assign(prop, rules);
    prop.description = `${String(prop.description ?? "")} (policy: at least ${policy.IMBI_AUTH_PASSWORD_MIN_LENGTH} characters, at most 256${
      rules.allOf ? "; upper- and lower-case letters, digits and special characters as configured" : ""
    })`;
  }
}

/**
 * Writes the release version rule of IMBI_RELEASES_VERSION_FORMAT into the create-release body (in
 * place), as the password policy: the format is a setting, so the document served says which one.
 */
export function applyVersionFormat(doc: OpenApiDocument, format: VersionFormat): void {
  const props = (doc.components?.schemas?.CreateRelease as Json | undefined)?.properties as Json | undefined;
  const prop = props?.version as Json | undefined;
  if (!prop) return;
  const rule = versionRule(format);
  prop.pattern = rule.pattern;
  prop.description = `The release's version: ${rule.words} (IMBI_RELEASES_VERSION_FORMAT=${format}); unique per project`;
}

const BODY_ERRORS: Record<string, string> = {
  413: "The request body is too large",
  415: "The Content-Type is not supported (the accepted types are listed in the message)",
};

/**
 * Documents 413 and 415 on every operation that takes a body (in place): the body limit and the
 * Content-Type check apply to all of them, including the ones without write error responses.
 */
export function addBodyErrorResponses(doc: OpenApiDocument): void {
  for (const item of Object.values(doc.paths ?? {}))
    for (const op of Object.values(item)) {
      if (!op.requestBody) continue;
      const responses = (op.responses ?? {}) as Json;
      for (const [status, description] of Object.entries(BODY_ERRORS))
        responses[status] ??= {
          description,
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        };
      op.responses = responses;
    }
}

/**
 * The component schemas `schema` references, transitively: a validator compiled with only these
 * beside it costs a fraction of one compiled with the whole document.
 */
function referenced(schema: unknown, doc: OpenApiDocument): Record<string, unknown> {
  const all = doc.components?.schemas ?? {};
  const used: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (isObj(node))
      for (const [k, v] of Object.entries(node)) {
        const name =
          k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "") : undefined;
        if (name === undefined) walk(v);
        else if (!(name in used) && all[name] !== undefined) {
          used[name] = all[name];
          walk(all[name]);
        }
      }
  };
  walk(schema);
  return used;
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value for `schema` from its examples, defaults, consts and enums; undefined when there is none. */
function exampleOf(schema: unknown, doc: OpenApiDocument, all: boolean, depth = 0): unknown {
  if (!isObj(schema) || depth > 8) return undefined;
  if (typeof schema.$ref === "string") {
    const target = doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")];
    return exampleOf(target, doc, all, depth + 1);
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  for (const key of ["oneOf", "anyOf"] as const)
    if (Array.isArray(schema[key])) return exampleOf(schema[key][0], doc, all, depth + 1);
  if (schema.type === "object" || isObj(schema.properties)) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const out: Json = {};
    for (const [k, p] of Object.entries((schema.properties as Json | undefined) ?? {})) {
      if (!all && !required.has(k)) continue;
      const v = exampleOf(p, doc, all, depth + 1);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (schema.type === "array" && schema.items !== undefined) {
    const item = exampleOf(schema.items, doc, all, depth + 1);
    return item === undefined ? [] : [item];
  }
  return undefined;
}

/**
 * Gives every request body and parameter of `doc` an example (in place) unless it has one: the
 * fullest example its schema accepts (all fields, else the required ones). Returns the operations
 * for which none could be made, so `npm run openapi` and the tests can refuse them.
 */
export function addRequestExamples(doc: OpenApiDocument): string[] {
  const missing: string[] = [];
  const validator = (schema: unknown) =>
    new Validator(
      { ...(schema as Json), components: { schemas: referenced(schema, doc) } } as Schema,
      "2020-12",
    );
  const pick = (schema: unknown): unknown => {
    const v = validator(schema);
    for (const all of [true, false]) {
      const ex = exampleOf(schema, doc, all);
      if (ex !== undefined && v.validate(ex).valid) return ex;
    }
    return undefined;
  };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const param of (op.parameters as Json[] | undefined) ?? []) {
        if (param.example !== undefined) continue;
        const ex = pick(param.schema);
        if (ex === undefined) missing.push(`${where} parameter ${String(param.name)}`);
        else param.example = ex;
      }
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      for (const [type, media] of Object.entries(content)) {
        if (media.example !== undefined || media.examples !== undefined) continue;
        const ex = pick(media.schema);
        if (ex === undefined) missing.push(`${where} body ${type}`);
        else media.example = ex;
      }
    }
  }
  return missing;
}
