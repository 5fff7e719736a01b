import type { Graph } from "../graph/graph.ts";
import { SqlParams } from "../graph/sql.ts";
import {
  ag,
  type DependencyEdge,
  graphids,
  json,
  type ProjectRef,
  prop,
  type Row,
  refColumns,
  run,
  teamJoin,
  toRef,
} from "./dependency_sql.ts";
import type { OrgRef } from "./org.ts";
import { allAttributeTypes, buildWhere, type ProjectFilters, whereText } from "./project_query.ts";

/** A project of the organization graph. */
export interface GraphNode extends ProjectRef {
  team: string | null;
  project_types: string[];
  external: boolean;
}

/** Filters of {@link organizationGraph}; undefined means "any". */
/** The project list's filters, plus whether to include edges leaving the selection. */
export type GraphFilter = ProjectFilters & { includeExternal: boolean };

/** Graph nodes with team and types; `where` is ANDed with the org check ($1) unless it carries its own. */
const graphNodeSql = (g: string, where: string, orgParam = true) =>
  `SELECT p.id::text AS gid, ${refColumns("p")}, tm.team, ty.types
   FROM ${g}."Project" p ${teamJoin(g)}
   LEFT JOIN LATERAL (SELECT json_agg(${prop("pt", "slug")}::text ORDER BY ${prop("pt", "slug")}::text) AS types
     FROM ${g}."TYPE" x JOIN ${g}."ProjectType" pt ON pt.id = x.end_id WHERE x.start_id = p.id) ty ON true
   WHERE ${orgParam ? `${prop("p", "org_id")} = ${ag(1)} AND ` : ""}${where}`;

/**
 * The organization's project graph in two or three statements: the projects matching the filter
 * (team slug, project type slug, archived), the `DEPENDS_ON` edges among them — or, with
 * `includeExternal`, touching them — and then the outside endpoints, flagged `external`.
 */
export async function organizationGraph(
  graph: Graph,
  org: OrgRef,
  filter: GraphFilter,
): Promise<{ nodes: GraphNode[]; edges: DependencyEdge[] }> {
  const g = `"${graph.graphName}"`;
  const toNode = (r: Row, external: boolean): GraphNode => ({
    ...toRef(r),
    team: r.team as string | null,
    project_types: (typeof r.types === "string" ? JSON.parse(r.types) : (r.types ?? [])) as string[],
    external,
  });
  // The selection uses the list's filter builder: the same filters, validation and indexes.
  const ps = new SqlParams();
  const types = filter.filter.length > 0 ? await allAttributeTypes(graph) : {};
  const w = buildWhere(graph, org, filter, types, ps);
  const rows = await run(graph, graphNodeSql(g, whereText(w), false), ps.values);
  const nodes = rows.map((r) => toNode(r, false));
  const idOf = new Map(rows.map((r) => [String(r.gid), String(r.id)]));
  // Every edge of the organization in one scan keyed on the source's org (no per-edge parameter
  // lookups: shipping ~10k selected graphids into the statement cost seconds at 30k edges); the
  // selection is applied here, where it is a hash lookup.
  const all = await run(
    graph,
    `SELECT e.start_id::text AS a, e.end_id::text AS b FROM ${g}."DEPENDS_ON" e
     JOIN ${g}."Project" s ON s.id = e.start_id WHERE ${prop("s", "org_id")} = ${ag(1)}`,
    [json(org.id)],
  );
  const edgeRows = all.filter((r) =>
    filter.includeExternal
      ? idOf.has(String(r.a)) || idOf.has(String(r.b))
      : idOf.has(String(r.a)) && idOf.has(String(r.b)),
  );
  const outside = [
    ...new Set(edgeRows.flatMap((r) => [String(r.a), String(r.b)]).filter((x) => !idOf.has(x))),
  ];
  if (outside.length > 0) {
    const extra = await run(graph, graphNodeSql(g, `p.id = ANY(${graphids(2)})`), [
      json(org.id),
      json(outside),
    ]);
    for (const r of extra) idOf.set(String(r.gid), String(r.id));
    nodes.push(...extra.map((r) => toNode(r, true)));
  }
  // Edges always stay inside the organization (creation enforces it); an endpoint outside it has
  // no id here and the edge is dropped.
  const edges = edgeRows.flatMap((r) => {
    const source = idOf.get(String(r.a));
    const target = idOf.get(String(r.b));
    return source && target ? [{ source, target }] : [];
  });
  nodes.sort((a, b) => a.slug.localeCompare(b.slug));
  return { nodes, edges };
}
