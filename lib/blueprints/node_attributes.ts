// Blueprint attributes of teams, environments, project types and organizations: extra top-level
// fields of the API document, stored as top-level vertex properties (projects have their own, in
// lib/catalog/project_write.ts, because their schema also depends on their types and environments).
import { z } from "zod";
import { DomainError, type FieldError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";
import { ATTRIBUTE_NAME, RESERVED_ATTRIBUTES } from "./check_schema.ts";
import { applyDefaults, effectiveSchema, type NodeType, validateAttributes } from "./effective.ts";

/** The node types whose attributes this module handles. */
export type AttributedType = Exclude<NodeType, "Project">;

/**
 * The keys of `doc` that are not in `core` (the blueprint attributes), undefined values dropped.
 * For a create body pass the fields it may set, so a server-owned key (`id`, …) is refused later.
 */
export function attributesOf(
  doc: Record<string, unknown>,
  core: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k, v]) => !core.has(k) && v !== undefined));
}

/**
 * The attributes stored on a vertex: its properties that are not core keys, that have an
 * attribute name and are not null.
 */
export function vertexAttributes(
  props: Record<string, unknown>,
  core: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(props).filter(
      ([k, v]) => !core.has(k) && !RESERVED_ATTRIBUTES.includes(k) && ATTRIBUTE_NAME.test(k) && v !== null,
    ),
  );
}

const fail = (detail: string, errors: FieldError[]) => new DomainError("VALIDATION_FAILED", detail, errors);

/**
 * Validates a create's or a patched document's attributes against the effective schema of `type`
 * and applies its defaults; returns what to store. With no enabled blueprint of that type any
 * attribute is an unknown field, reported as the strict body schema did (location `json`).
 */
export async function checkNodeAttributes(
  graph: Graph,
  type: AttributedType,
  attrs: Record<string, unknown>,
  core: ReadonlySet<string>,
): Promise<Record<string, unknown>> {
  const given = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
  const schema = await effectiveSchema(graph, { type });
  const blueprints = (schema["x-imbi-blueprints"] ?? []) as string[];
  if (blueprints.length === 0) {
    if (Object.keys(given).length === 0) return {};
    const parsed = z.object({}).strict().safeParse(given);
    const errors = parsed.success
      ? [{ location: "json", message: "unknown fields" }]
      : parsed.error.issues.map((i) => ({
          location: ["json", ...i.path.map(String)].join("."),
          message: i.message,
        }));
    throw fail(`Invalid body: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`, errors);
  }
  const bad = Object.keys(given).filter(
    (k) => core.has(k) || RESERVED_ATTRIBUTES.includes(k) || !ATTRIBUTE_NAME.test(k),
  );
  if (bad.length > 0)
    throw fail(
      `Invalid attribute names: ${bad.join(", ")}`,
      bad.map((k) => ({
        location: `json.${k}`,
        message: "is a core field or not an attribute name (^[a-z_][a-z0-9_]*$)",
      })),
    );
  const errors = validateAttributes(schema, given);
  if (errors.length > 0)
    throw fail(
      `Blueprint validation failed: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  const out = Object.fromEntries(
    Object.entries(applyDefaults(schema, given)).filter(([k, v]) => v !== null && !core.has(k)),
  );
  for (const k of Object.keys(out))
    if (!ATTRIBUTE_NAME.test(k) || RESERVED_ATTRIBUTES.includes(k)) delete out[k];
  return out;
}

/**
 * Cypher text for writing attributes on an update: `v.k = $a_k` for each attribute (parameters
 * go into `params`, prefixed so they cannot clash with the statement's own) and a `REMOVE` of each
 * previous attribute no longer present. Keys are checked again here, as they become Cypher text.
 */
export function attributeWrites(
  variable: string,
  attrs: Record<string, unknown>,
  previous: readonly string[],
  params: Record<string, unknown>,
): { set: string[]; remove: string } {
  const check = (k: string) => {
    if (!ATTRIBUTE_NAME.test(k) || RESERVED_ATTRIBUTES.includes(k))
      throw new Error(`invalid attribute key ${k}`);
    return k;
  };
  const set = Object.entries(attrs).map(([k, v]) => {
    params[`a_${check(k)}`] = v;
    return `${variable}.${k} = $a_${k}`;
  });
  const gone = [...new Set(previous)].filter((k) => !(k in attrs)).map(check);
  const remove = gone.length > 0 ? `REMOVE ${gone.map((k) => `${variable}.${k}`).join(", ")}` : "";
  return { set, remove };
}

/** What a patch writes besides the core fields: the patched attributes and the current keys. */
export interface AttributeUpdate {
  /** The attributes of the patched document (validated and defaulted before writing). */
  values: Record<string, unknown>;
  /** The attribute keys the resource had before, so the ones gone are removed from the vertex. */
  previous: readonly string[];
}
