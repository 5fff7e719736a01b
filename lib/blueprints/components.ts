import type { Graph } from "../graph/graph.ts";
import {
  enabledNodeBlueprints,
  type JsonSchema,
  type MergeInput,
  mergeSchemas,
  NODE_TYPES,
  relationshipBlueprints,
} from "./effective.ts";

/** OpenAPI component schemas built from the live blueprints. */
export interface BlueprintComponents {
  components: { schemas: Record<string, JsonSchema> };
}

/**
 * One schema over *every* enabled blueprint of a target, whatever its filter: all their properties
 * (priority order), but `required` only from unfiltered blueprints, since a filtered one's required
 * attributes do not hold for every entity.
 */
function mergeForAll(inputs: MergeInput[]) {
  const merged = mergeSchemas(inputs);
  const required = new Set(
    inputs
      .filter((b) => b.filter.project_types.length === 0 && b.filter.environments.length === 0)
      .flatMap((b) => b.schema.required ?? []),
  );
  return { ...merged, required: [...required].sort() };
}

// In an OpenAPI 3.1 document `#/$defs/x` would resolve against the document root, so each
// schema's $defs are hoisted to sibling components and the references rewritten.
function rewriteRefs(node: unknown, prefix: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, prefix));
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")
        ? `#/components/schemas/${prefix}_${v.slice("#/$defs/".length)}`
        : rewriteRefs(v, prefix),
    ]),
  );
}

function hoist(out: Record<string, JsonSchema>, name: string, schema: Record<string, unknown>): void {
  const { $defs, ...rest } = schema;
  out[name] = rewriteRefs(rest, name) as JsonSchema;
  for (const [def, s] of Object.entries(($defs ?? {}) as Record<string, unknown>))
    out[`${name}_${def}`] = rewriteRefs(s, name) as JsonSchema;
}

/**
 * `<Type>Attributes` for each node label (`ProjectAttributes` always present) and
 * `<source>_<target>_<edge>EdgeProperties` for each relationship, ready to merge into the
 * OpenAPI document's `components.schemas`.
 */
export async function blueprintComponents(graph: Graph): Promise<BlueprintComponents> {
  const schemas: Record<string, JsonSchema> = {};
  const [nodes, rels] = await Promise.all([
    Promise.all(NODE_TYPES.map(async (t) => [t, await enabledNodeBlueprints(graph, t)] as const)),
    relationshipBlueprints(graph),
  ]);
  for (const [type, inputs] of nodes)
    if (inputs.length > 0 || type === "Project") hoist(schemas, `${type}Attributes`, mergeForAll(inputs));
  const groups = new Map<string, MergeInput[]>();
  for (const r of rels) {
    const name = `${r.source}_${r.target}_${r.edge}EdgeProperties`;
    groups.set(name, [...(groups.get(name) ?? []), r]);
  }
  for (const [name, inputs] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1)))
    hoist(schemas, name, mergeForAll(inputs));
  return { components: { schemas } };
}
