import type { Graph } from "../graph/graph.ts";
import { prop } from "../graph/sql.ts";

// Shared pieces of the dependency-graph modules: API shapes and SQL fragments over AGE's label
// tables. SQL text is built only from the (validated) graph name and constants; values are parameters.

/** A project as it appears next to another in the dependency graph. */
export interface ProjectRef {
  id: string;
  slug: string;
  name: string;
  archived: boolean;
}

/** One `DEPENDS_ON` edge seen from one end. */
export interface Relationship extends ProjectRef {
  created_at: string | null;
}

/** A node of a traversal: the project and its distance from the start. */
export interface DependencyNode extends ProjectRef {
  team: string | null;
  depth: number;
}

/** A directed edge `source DEPENDS_ON target`, by project id. */
export interface DependencyEdge {
  source: string;
  target: string;
}

/** `downstream`: what the project depends on; `upstream`: what depends on it. */
export type Direction = "downstream" | "upstream";

/** At most this many nodes in a closure answer (then `truncated`). */
export const CLOSURE_CAP = 10_000;
/** The deepest a shortest-path search looks. */
export const PATH_MAX_DEPTH = 20;

// The same (validated) property expression the graph indexes and the project reads use.
export { prop } from "../graph/sql.ts";
export const ag = (n: number) => `$${n}::text::ag_catalog.agtype`;
/** A JSON array of graphids (as text) → graphid[]; PGlite's graphid_in is 32-bit, agtype's is not. */
export const graphids = (n: number) =>
  `ARRAY(SELECT ag_catalog.agtype_to_graphid(x::ag_catalog.agtype) FROM jsonb_array_elements_text($${n}::text::jsonb) x)`;
export const refColumns = (a: string) =>
  `${prop(a, "id")}::text AS id, ${prop(a, "slug")}::text AS slug, ${prop(a, "name")}::text AS name, ${prop(a, "archived")}::text AS archived`;
export const teamJoin = (g: string) =>
  `LEFT JOIN LATERAL (SELECT ${prop("t", "slug")}::text AS team FROM ${g}."OWNED_BY" o JOIN ${g}."Team" t ON t.id = o.end_id WHERE o.start_id = p.id LIMIT 1) tm ON true`;

export type Row = Record<string, string | number | null>;
export const run = (graph: Graph, text: string, params: unknown[]) =>
  graph.sql.unsafe(text, params as never[]) as unknown as Promise<Row[]>;
export const toRef = (r: Row): ProjectRef => ({
  id: String(r.id),
  slug: String(r.slug),
  name: String(r.name),
  archived: r.archived === "true",
});
export const json = (v: unknown) => JSON.stringify(v);
