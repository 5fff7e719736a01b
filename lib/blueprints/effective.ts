import type { AgValue } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import type { JsonObjectSchema, JsonSchema } from "./json_schema.ts";

export {
  type AttributeType,
  applyDefaults,
  attributeTypes,
  type JsonObjectSchema,
  type JsonSchema,
  validateAttributes,
} from "./json_schema.ts";

/** The labels a node blueprint can target. */
export const NODE_TYPES = ["Organization", "Team", "Environment", "ProjectType", "Project"] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** What a node's schema is resolved for: its label and, for projects, its type and environment slugs. */
export interface BlueprintScope {
  type: NodeType;
  projectTypes?: string[];
  environments?: string[];
}

/** What an edge's schema is resolved for, e.g. Project-DEPLOYED_IN-Environment. */
export interface RelationshipScope {
  source: string;
  edge: string;
  target: string;
  projectTypes?: string[];
  environments?: string[];
}

/** A blueprint's filter: slugs; an empty list applies to all. */
export interface BlueprintFilter {
  project_types: string[];
  environments: string[];
}

/** The parts of a blueprint that merging needs. */
export interface MergeInput {
  slug: string;
  priority: number;
  filter: BlueprintFilter;
  schema: JsonObjectSchema;
}

/**
 * True when a blueprint's filter matches the scope: each non-empty filter list must share a slug
 * with the scope's list. With no context (the scope's list absent or empty) only an empty filter
 * list matches, as in the reference.
 */
export function filterApplies(
  filter: Partial<BlueprintFilter>,
  scope: { projectTypes?: string[]; environments?: string[] },
): boolean {
  const hits = (wanted: string[] | undefined, have: string[] | undefined) =>
    !wanted || wanted.length === 0 || (have ?? []).some((s) => wanted.includes(s));
  return hits(filter.project_types, scope.projectTypes) && hits(filter.environments, scope.environments);
}

/**
 * Folds schemas lower priority first (ties by slug, so the result is deterministic), so a
 * higher-priority blueprint's property replaces a lower one's of the same name. `required` is the
 * union; `$defs` merge the same way as properties; `additionalProperties` comes from the
 * highest-priority blueprint that sets it. `x-imbi-blueprints` lists the merged slugs in order.
 */
export function mergeSchemas(inputs: readonly MergeInput[]): JsonObjectSchema {
  const ordered = [...inputs].sort((a, b) => a.priority - b.priority || (a.slug < b.slug ? -1 : 1));
  const properties: Record<string, JsonSchema> = {};
  const defs: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  let additional: JsonSchema | undefined;
  for (const { schema } of ordered) {
    Object.assign(properties, schema.properties ?? {});
    Object.assign(defs, schema.$defs ?? {});
    for (const r of schema.required ?? []) required.add(r);
    if (schema.additionalProperties !== undefined) additional = schema.additionalProperties;
  }
  return {
    type: "object",
    properties,
    required: [...required].sort(),
    ...(additional !== undefined ? { additionalProperties: additional } : {}),
    ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
    "x-imbi-blueprints": ordered.map((b) => b.slug),
  };
}

type Row = Record<string, AgValue>;

const toInput = (r: Row): MergeInput => {
  const f = (r.filter ?? {}) as Partial<BlueprintFilter>;
  return {
    slug: String(r.slug),
    priority: Number(r.priority ?? 0),
    filter: { project_types: f.project_types ?? [], environments: f.environments ?? [] },
    schema: JSON.parse(String(r.schema)) as JsonObjectSchema,
  };
};

const COLUMNS = ["slug", "priority", "filter", "schema", "source", "edge", "target"] as const;

/** Every enabled node blueprint of one label, unfiltered (for the OpenAPI components and impact). */
export async function enabledNodeBlueprints(graph: Graph, type: NodeType): Promise<MergeInput[]> {
  const rows = await graph.query(
    `MATCH (b:Blueprint) WHERE b.kind = 'node' AND b.type = $type AND b.enabled = true
     RETURN b.slug, b.priority, b.filter, b.schema_json, null, null, null`,
    { type },
    COLUMNS,
  );
  return rows.map(toInput);
}

/** Every enabled relationship blueprint, with its (source, edge, target). */
export async function relationshipBlueprints(
  graph: Graph,
): Promise<(MergeInput & { source: string; edge: string; target: string })[]> {
  const rows = await graph.query(
    `MATCH (b:Blueprint) WHERE b.kind = 'relationship' AND b.enabled = true
     RETURN b.slug, b.priority, b.filter, b.schema_json, b.source, b.edge, b.target`,
    {},
    COLUMNS,
  );
  return rows.map((r) => ({
    ...toInput(r),
    source: String(r.source),
    edge: String(r.edge),
    target: String(r.target),
  }));
}

/**
 * Merges every enabled node blueprint that applies (filter match), lower priority first so higher
 * priority overrides a clashing property; `required` is the union. Returns an object JSON Schema
 * (possibly with no properties).
 */
export async function effectiveSchema(graph: Graph, scope: BlueprintScope): Promise<JsonObjectSchema> {
  const all = await enabledNodeBlueprints(graph, scope.type);
  return mergeSchemas(all.filter((b) => filterApplies(b.filter, scope)));
}

/** Like {@link effectiveSchema}, for the relationship blueprints of one (source, edge, target). */
export async function effectiveRelationshipSchema(
  graph: Graph,
  scope: RelationshipScope,
): Promise<JsonObjectSchema> {
  const all = await relationshipBlueprints(graph);
  return mergeSchemas(
    all.filter(
      (b) =>
        b.source === scope.source &&
        b.edge === scope.edge &&
        b.target === scope.target &&
        filterApplies(b.filter, scope),
    ),
  );
}
