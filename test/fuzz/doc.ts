// The OpenAPI document as the fuzzer reads it: operations with their parameters, bodies and
// documented responses, and a JSON Schema checker that resolves the document's `$ref`s. Nothing
// here is HTTP-specific beyond the document's own vocabulary, so other doors (MCP tools, webhook
// actions) can describe their inputs with the same schemas and reuse it.
import { type Schema, Validator } from "@cfworker/json-schema";

/** A JSON Schema node: an object of keywords, or `true`/`false`. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** The parts of an OpenAPI 3.1 document the fuzzer uses. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  operationId?: string;
  security?: unknown[];
  "x-imbi-permission"?: string[];
  "x-imbi-access"?: string;
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: JsonSchema;
    example?: unknown;
    examples?: unknown;
  }[];
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: JsonSchema; example?: unknown; examples?: unknown }>;
  };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

/** One parameter of an operation. */
export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: JsonSchema;
  /** The parameter's `example` (or first of `examples`), when it has one. */
  example?: unknown;
}

/** One operation of the document. */
export interface Operation {
  id: string;
  method: string;
  /** The path template, e.g. `/api/organizations/{org}/teams/{team}`. */
  path: string;
  /** Whether the operation declares a security requirement (needs a token). */
  secured: boolean;
  permission: string[];
  /** Where the permission is evaluated (`x-imbi-access`): organization, global, anywhere, … */
  access?: string;
  parameters: Parameter[];
  body?: {
    required: boolean;
    /** Schema per media type. */
    content: Record<string, JsonSchema>;
    /** Example bodies per media type. */
    examples: Record<string, unknown[]>;
  };
  /** Documented responses: status → media type → schema (an empty map for bodiless answers). */
  responses: Record<string, Record<string, JsonSchema>>;
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

function examplesOf(o: { example?: unknown; examples?: unknown }): unknown[] {
  const out: unknown[] = [];
  if (o.example !== undefined) out.push(o.example);
  if (o.examples && typeof o.examples === "object")
    for (const e of Object.values(o.examples as Record<string, { value?: unknown }>))
      if (e && typeof e === "object" && "value" in e) out.push(e.value);
  return out;
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      out.push({
        id: op.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        secured: (op.security ?? []).length > 0,
        permission: op["x-imbi-permission"] ?? [],
        access: op["x-imbi-access"],
        parameters: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in as Parameter["in"],
          required: p.required === true,
          schema: p.schema ?? {},
          example: examplesOf(p)[0],
        })),
        body: op.requestBody
          ? {
              required: op.requestBody.required === true,
              content: Object.fromEntries(Object.entries(content).map(([t, c]) => [t, c.schema ?? {}])),
              examples: Object.fromEntries(Object.entries(content).map(([t, c]) => [t, examplesOf(c)])),
            }
          : undefined,
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, r]) => [
            status,
            Object.fromEntries(Object.entries(r.content ?? {}).map(([t, c]) => [t, c.schema ?? {}])),
          ]),
        ),
      });
    }
  }
  return out;
}

/**
 * Validates values against schemas of one document (draft 2020-12, formats asserted). Each schema
 * is compiled once with the document's components beside it, so `#/components/schemas/…` resolves.
 */
export class SchemaChecker {
  private readonly cache = new Map<string, Validator>();
  constructor(private readonly doc: OpenApiDoc) {}

  /** The document's component schemas by name. */
  get schemas(): Record<string, JsonSchema> {
    return this.doc.components?.schemas ?? {};
  }

  private readonly roots = new Map<string, JsonSchema>();

  /**
   * The schema with the components it references (transitively) beside it, as generators need
   * it to resolve refs. Only those: handing the generator every component costs it a walk of the
   * whole document per value.
   */
  rooted(schema: JsonSchema): JsonSchema {
    if (typeof schema === "boolean") return schema;
    const key = JSON.stringify(schema);
    const hit = this.roots.get(key);
    if (hit) return hit;
    const all = this.schemas;
    const used: Record<string, JsonSchema> = {};
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) for (const n of node) walk(n);
      else if (node && typeof node === "object")
        for (const [k, v] of Object.entries(node)) {
          if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
            const name = v.slice("#/components/schemas/".length);
            if (!(name in used) && all[name] !== undefined) {
              used[name] = all[name];
              walk(all[name]);
            }
          } else walk(v);
        }
    };
    walk(schema);
    const rooted = { ...schema, components: { schemas: used } };
    this.roots.set(key, rooted);
    return rooted;
  }

  /** The first error of `value` against `schema` (the deepest location), or undefined when valid. */
  error(schema: JsonSchema, value: unknown): string | undefined {
    const key = JSON.stringify(schema);
    let v = this.cache.get(key);
    if (!v) {
      v = new Validator(this.rooted(schema) as Schema | boolean, "2020-12", false);
      this.cache.set(key, v);
    }
    const r = v.validate(value);
    if (r.valid) return undefined;
    // The last error is the innermost one, which names the offending location.
    const e = r.errors[r.errors.length - 1];
    return e ? `${e.instanceLocation}: ${e.error}` : "invalid";
  }

  valid(schema: JsonSchema, value: unknown): boolean {
    return this.error(schema, value) === undefined;
  }
}
