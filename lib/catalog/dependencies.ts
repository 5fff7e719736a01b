import { DomainError } from "../errors.ts";
import { type Graph, UniqueViolation } from "../graph/graph.ts";
import {
  ag,
  CLOSURE_CAP,
  type DependencyEdge,
  type DependencyNode,
  type Direction,
  graphids,
  json,
  PATH_MAX_DEPTH,
  type ProjectRef,
  prop,
  type Relationship,
  type Row,
  refColumns,
  run,
  teamJoin,
  toRef,
} from "./dependency_sql.ts";
import type { OrgRef } from "./org.ts";
import { notFound } from "./projects.ts";

// Project dependencies: `(Project)-[:DEPENDS_ON {created_at}]->(Project)`, same organization only.
// Writes are Cypher (the model's contract). Traversals are SQL over AGE's label tables, joined on
// graphid with the (start_id)/(end_id) indexes: measured on 2,000 projects / 6,000 edges, a
// recursive CTE answers depth 5 in ~5 ms where per-level Cypher takes ~50 ms and `*1..N` explodes.
// SQL text is built only from the (validated) graph name and constants; values are parameters.
// Cycles live in dependency_cycles.ts, the whole-organization graph in org_graph.ts.

export * from "./dependency_cycles.ts";
export {
  CLOSURE_CAP,
  type DependencyEdge,
  type DependencyNode,
  type Direction,
  PATH_MAX_DEPTH,
  type ProjectRef,
  type Relationship,
} from "./dependency_sql.ts";
export * from "./org_graph.ts";

/** Lists a project's outbound and inbound `DEPENDS_ON` neighbours; 404 when it is not in `org`. */
export async function listRelationships(
  graph: Graph,
  org: OrgRef,
  id: string,
): Promise<{ outbound: Relationship[]; inbound: Relationship[] }> {
  const g = `"${graph.graphName}"`;
  const rows = await run(
    graph,
    `WITH src AS (SELECT p.id FROM ${g}."Project" p WHERE ${prop("p", "id")} = ${ag(1)} AND ${prop("p", "org_id")} = ${ag(2)})
     SELECT 'self' AS kind, NULL AS id, NULL AS slug, NULL AS name, NULL AS archived, NULL AS created_at FROM src
     UNION ALL
     SELECT 'out', ${refColumns("p")}, ${prop("e", "created_at")}::text FROM src
       JOIN ${g}."DEPENDS_ON" e ON e.start_id = src.id JOIN ${g}."Project" p ON p.id = e.end_id
       WHERE ${prop("p", "org_id")} = ${ag(2)}
     UNION ALL
     SELECT 'in', ${refColumns("p")}, ${prop("e", "created_at")}::text FROM src
       JOIN ${g}."DEPENDS_ON" e ON e.end_id = src.id JOIN ${g}."Project" p ON p.id = e.start_id
       WHERE ${prop("p", "org_id")} = ${ag(2)}`,
    [json(id), json(org.id)],
  );
  if (!rows.some((r) => r.kind === "self")) throw notFound(org, id);
  const rel = (r: Row): Relationship => ({ ...toRef(r), created_at: r.created_at as string | null });
  const bySlug = (a: Relationship, b: Relationship) => a.slug.localeCompare(b.slug);
  return {
    outbound: rows
      .filter((r) => r.kind === "out")
      .map(rel)
      .sort(bySlug),
    inbound: rows
      .filter((r) => r.kind === "in")
      .map(rel)
      .sort(bySlug),
  };
}

// A project in another organization is answered exactly like a missing one (projects.ts
// notFound), so ids of other organizations never leak.

/** Where {@link addDependency} left the edge: `created` false when it already existed. */
export interface AddedDependency {
  created: boolean;
  source: ProjectRef;
  target: ProjectRef;
  created_at: string;
  /** Whether this edge closes a dependency cycle (cycles are allowed, but reported). */
  creates_cycle: boolean;
  /** That cycle, from the source (each depends on the next, the last on the source); null without one. */
  cycle: ProjectRef[] | null;
}

const EDGE_COLUMNS = ["sid", "sslug", "sname", "sarch", "tid", "tslug", "tname", "tarch", "at"] as const;
const EDGE_RETURN = "a.id, a.slug, a.name, a.archived, b.id, b.slug, b.name, b.archived, e.created_at";

/**
 * Creates `source DEPENDS_ON target` in `org`, idempotently: a self-edge or a target outside the
 * organization is a 400, a missing source a 404, an existing edge (also one created concurrently,
 * caught by the unique (start_id, end_id) index) is returned with `created: false`.
 */
export async function addDependency(
  graph: Graph,
  org: OrgRef,
  sourceId: string,
  targetId: string,
  now = new Date().toISOString(),
): Promise<AddedDependency> {
  if (sourceId === targetId) throw new DomainError("BAD_REQUEST", "A project cannot depend on itself.");
  const params = { src: sourceId, tgt: targetId, org: org.id, now };
  try {
    const rows = await graph.query(
      `MATCH (a:Project), (b:Project)
       WHERE a.id = $src AND a.org_id = $org AND b.id = $tgt AND b.org_id = $org
         AND NOT exists((a)-[:DEPENDS_ON]->(b))
       CREATE (a)-[e:DEPENDS_ON {created_at: $now}]->(b)
       RETURN ${EDGE_RETURN}`,
      params,
      EDGE_COLUMNS,
    );
    if (rows[0])
      return { created: true, ...edgeOf(rows[0]), ...(await cycleThrough(graph, org, sourceId, targetId)) };
  } catch (e) {
    if (!(e instanceof UniqueViolation)) throw e;
  }
  // Not created: say why (or return the edge that is already there).
  const rows = await graph.query(
    `OPTIONAL MATCH (a:Project) WHERE a.id = $src AND a.org_id = $org
     OPTIONAL MATCH (b:Project) WHERE b.id = $tgt AND b.org_id = $org
     OPTIONAL MATCH (a)-[e:DEPENDS_ON]->(b)
     RETURN ${EDGE_RETURN}`,
    params,
    EDGE_COLUMNS,
  );
  const r = rows[0];
  if (!r?.sid) throw notFound(org, sourceId);
  if (!r.tid) throw notFound(org, targetId);
  if (!r.at) throw new DomainError("CONFLICT", "The dependency changed concurrently; retry the request.");
  return { created: false, ...edgeOf(r), ...(await cycleThrough(graph, org, sourceId, targetId)) };
}

/** The cycle `source → target` is part of: the path back from the target to the source, if any. */
async function cycleThrough(
  graph: Graph,
  org: OrgRef,
  sourceId: string,
  targetId: string,
): Promise<Pick<AddedDependency, "creates_cycle" | "cycle">> {
  const back = await shortestPath(graph, org, targetId, sourceId);
  if (!back) return { creates_cycle: false, cycle: null };
  // back.nodes runs target … source; the cycle reads source, target, …, the last before source.
  const last = back.nodes[back.nodes.length - 1];
  return { creates_cycle: true, cycle: last ? [last, ...back.nodes.slice(0, -1)] : back.nodes };
}

function edgeOf(r: Record<string, unknown>): Pick<AddedDependency, "source" | "target" | "created_at"> {
  return {
    source: { id: String(r.sid), slug: String(r.sslug), name: String(r.sname), archived: r.sarch === true },
    target: { id: String(r.tid), slug: String(r.tslug), name: String(r.tname), archived: r.tarch === true },
    created_at: String(r.at),
  };
}

/** What {@link removeDependency} removed: both ends and when the edge had been created. */
export type RemovedDependency = Pick<AddedDependency, "source" | "target" | "created_at">;

/** Removes `source DEPENDS_ON target`; 404 when there is no such edge in `org`. */
export async function removeDependency(
  graph: Graph,
  org: OrgRef,
  sourceId: string,
  targetId: string,
): Promise<RemovedDependency> {
  // The edge's creation time is read before the DELETE: a deleted entity's properties are gone.
  const rows = await graph.query(
    `MATCH (a:Project)-[e:DEPENDS_ON]->(b:Project)
     WHERE a.id = $src AND a.org_id = $org AND b.id = $tgt AND b.org_id = $org
     WITH a, b, e, e.created_at AS at
     DELETE e RETURN a.id, a.slug, a.name, a.archived, b.id, b.slug, b.name, b.archived, at`,
    { src: sourceId, tgt: targetId, org: org.id },
    EDGE_COLUMNS,
  );
  const r = rows[0];
  if (!r) throw new DomainError("NOT_FOUND", `Project '${sourceId}' has no dependency on '${targetId}'.`);
  return edgeOf(r);
}

// The two directions differ only in which end of the edge is followed.
const ENDS: Record<Direction, { from: string; to: string }> = {
  downstream: { from: "start_id", to: "end_id" },
  upstream: { from: "end_id", to: "start_id" },
};

function startCte(g: string): string {
  return `start AS (SELECT p.id FROM ${g}."Project" p WHERE ${prop("p", "id")} = ${ag(1)} AND ${prop("p", "org_id")} = ${ag(2)})`;
}

/** Node rows (kind 'n') of the CTE `nodes(node, depth)` plus the edges among them (kind 'e'). */
function nodesAndEdges(g: string): string {
  return `SELECT 'n' AS kind, n.depth, ${refColumns("p")}, tm.team, NULL AS source, NULL AS target
      FROM nodes n JOIN ${g}."Project" p ON p.id = n.node ${teamJoin(g)}
      WHERE ${prop("p", "org_id")} = ${ag(2)}
    UNION ALL
    SELECT 'e', NULL, NULL, NULL, NULL, NULL, NULL, ${prop("s", "id")}::text, ${prop("t", "id")}::text
      FROM ${g}."DEPENDS_ON" e JOIN nodes ns ON ns.node = e.start_id JOIN nodes nt ON nt.node = e.end_id
      JOIN ${g}."Project" s ON s.id = e.start_id JOIN ${g}."Project" t ON t.id = e.end_id`;
}

function splitRows(rows: Row[]): { nodes: DependencyNode[]; edges: DependencyEdge[] } {
  const nodes: DependencyNode[] = [];
  const edges: DependencyEdge[] = [];
  for (const r of rows) {
    if (r.kind === "n") nodes.push({ ...toRef(r), team: r.team as string | null, depth: Number(r.depth) });
    else edges.push({ source: String(r.source), target: String(r.target) });
  }
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

const byDepth = (a: DependencyNode, b: DependencyNode) => a.depth - b.depth || a.slug.localeCompare(b.slug);

/**
 * The project's neighbourhood to `depth` hops (the project itself at depth 0, every other node at
 * its minimum distance) and the edges among those nodes; 404 when the project is not in `org`.
 */
export async function neighbourhood(
  graph: Graph,
  org: OrgRef,
  id: string,
  direction: Direction,
  depth: number,
): Promise<{ nodes: DependencyNode[]; edges: DependencyEdge[] }> {
  const g = `"${graph.graphName}"`;
  const { from, to } = ENDS[direction];
  // UNION dedups (node, depth) pairs, so the work is bounded by nodes × depth even on dense graphs.
  const rows = await run(
    graph,
    `WITH RECURSIVE ${startCte(g)},
     walk(node, depth) AS (
       SELECT id, 0 FROM start
       UNION
       SELECT e.${to}, w.depth + 1 FROM walk w JOIN ${g}."DEPENDS_ON" e ON e.${from} = w.node WHERE w.depth < $3::int
     ),
     nodes AS MATERIALIZED (SELECT node, min(depth) AS depth FROM walk GROUP BY node)
     ${nodesAndEdges(g)}`,
    [json(id), json(org.id), depth],
  );
  const out = splitRows(rows);
  if (!out.nodes.some((n) => n.depth === 0)) throw notFound(org, id);
  out.nodes.sort(byDepth);
  return out;
}

/**
 * The whole transitive closure in one direction, each node at its minimum depth (the project
 * itself at 0), capped at {@link CLOSURE_CAP} nodes nearest first, with `truncated` when cut.
 * One graphid-only SQL statement per BFS level (measured faster than a node-set CTE plus its
 * induced edges: ~45 ms vs ~70 ms for 1,900 nodes), then one for the nodes' properties.
 */
export async function closure(
  graph: Graph,
  org: OrgRef,
  id: string,
  direction: Direction,
  cap = CLOSURE_CAP,
): Promise<{ nodes: DependencyNode[]; truncated: boolean }> {
  const g = `"${graph.graphName}"`;
  const { from, to } = ENDS[direction];
  const start = await run(graph, `WITH ${startCte(g)} SELECT id::text AS gid FROM start`, [
    json(id),
    json(org.id),
  ]);
  if (!start[0]) throw notFound(org, id);
  const depthOf = new Map<string, number>([[String(start[0].gid), 0]]);
  let frontier = [String(start[0].gid)];
  let truncated = false;
  for (let d = 1; frontier.length > 0 && !truncated; d++) {
    const rows = await run(
      graph,
      `SELECT DISTINCT e.${to}::text AS n FROM ${g}."DEPENDS_ON" e WHERE e.${from} = ANY(${graphids(1)})`,
      [json(frontier)],
    );
    const next: string[] = [];
    for (const r of rows) {
      const n = String(r.n);
      if (depthOf.has(n)) continue;
      if (depthOf.size > cap) {
        truncated = true;
        break;
      }
      depthOf.set(n, d);
      next.push(n);
    }
    frontier = next;
  }
  const props = await run(
    graph,
    `SELECT p.id::text AS gid, ${refColumns("p")}, tm.team FROM ${g}."Project" p ${teamJoin(g)}
     WHERE p.id = ANY(${graphids(1)}) AND ${prop("p", "org_id")} = ${ag(2)}`,
    [json([...depthOf.keys()]), json(org.id)],
  );
  const nodes = props.map((r) => ({
    ...toRef(r),
    team: r.team as string | null,
    depth: depthOf.get(String(r.gid)) ?? 0,
  }));
  return { nodes: nodes.sort(byDepth), truncated };
}

/**
 * The shortest directed `DEPENDS_ON` path from → to (both in `org`), searched breadth-first one
 * SQL statement per level up to {@link PATH_MAX_DEPTH}; null when there is none. 404 when either
 * project is not in `org`.
 */
export async function shortestPath(
  graph: Graph,
  org: OrgRef,
  fromId: string,
  toId: string,
): Promise<{ nodes: ProjectRef[]; edges: DependencyEdge[] } | null> {
  const g = `"${graph.graphName}"`;
  const ends = await run(
    graph,
    `SELECT p.id::text AS gid, ${prop("p", "id")}::text AS id FROM ${g}."Project" p
     WHERE ${prop("p", "id")} IN (${ag(1)}, ${ag(2)}) AND ${prop("p", "org_id")} = ${ag(3)}`,
    [json(fromId), json(toId), json(org.id)],
  );
  const gidOf = new Map(ends.map((r) => [String(r.id), String(r.gid)]));
  const start = gidOf.get(fromId);
  const goal = gidOf.get(toId);
  if (!start) throw notFound(org, fromId);
  if (!goal) throw notFound(org, toId);
  const parent = new Map<string, string | null>([[start, null]]);
  let frontier = [start];
  for (let d = 0; d < PATH_MAX_DEPTH && frontier.length > 0 && !parent.has(goal); d++) {
    const rows = await run(
      graph,
      `SELECT e.start_id::text AS a, e.end_id::text AS b FROM ${g}."DEPENDS_ON" e WHERE e.start_id = ANY(${graphids(1)})`,
      [json(frontier)],
    );
    const next: string[] = [];
    for (const r of rows) {
      const b = String(r.b);
      if (parent.has(b)) continue;
      parent.set(b, String(r.a));
      next.push(b);
    }
    frontier = next;
  }
  if (!parent.has(goal)) return null;
  const chain: string[] = [];
  for (let at: string | null = goal; at !== null; at = parent.get(at) ?? null) chain.unshift(at);
  const props = await run(
    graph,
    `SELECT p.id::text AS gid, ${refColumns("p")} FROM ${g}."Project" p
     WHERE p.id = ANY(${graphids(1)}) AND ${prop("p", "org_id")} = ${ag(2)}`,
    [json(chain), json(org.id)],
  );
  const byGid = new Map(props.map((r) => [String(r.gid), toRef(r)]));
  const nodes = chain.map((gid) => byGid.get(gid));
  if (nodes.some((n) => !n)) return null; // a path through another organization is no path
  const refs = nodes as ProjectRef[];
  return {
    nodes: refs,
    edges: refs.slice(1).map((n, i) => ({ source: (refs[i] as ProjectRef).id, target: n.id })),
  };
}
