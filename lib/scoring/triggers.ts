// Which projects a write can rescore (reference §6 "Triggers"), enqueued after the response. Every
// function here returns at once: the lookups and the enqueue run through `services.background`, and
// a failure is logged — the daily recompute converges anything a lost request missed.
import type { Blueprint } from "../blueprints/blueprints.ts";
import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { prop, SqlParams, table } from "../graph/sql.ts";
import type { Services } from "../services.ts";
import type { ScoringPolicy } from "./policy.ts";
import { usesRelationships } from "./policy.ts";
import { dependencyPairs } from "./subjects.ts";
import type { ScoreReason } from "./types.ts";

/** Runs `find` in the background and enqueues what it returns. */
function later(s: Services, reason: ScoreReason, by: string, find: () => Promise<readonly string[]>): void {
  s.background(
    find().then(
      (ids) => s.rescore([...new Set(ids)], reason, by),
      (e: unknown) =>
        s.log.warn("could not work out which projects to rescore", {
          reason,
          error: e instanceof Error ? e.message : String(e),
        }),
    ),
  );
}

/** Whether any enabled condition policy looks at DEPENDS_ON neighbours (then neighbours rescore too). */
export async function relationshipPoliciesExist(graph: Graph): Promise<boolean> {
  const rows = await graph.query<{ doc: string }>(
    "MATCH (s:ScoringPolicy) WHERE s.enabled = true AND s.category = 'condition' RETURN s.doc_json",
    {},
    ["doc"],
  );
  return rows.some((r) => usesRelationships(JSON.parse(r.doc) as ScoringPolicy));
}

/** Ids of the projects (optionally of one organization) that have any of `types`; all when `types` is null. */
export async function projectIdsFor(
  graph: Graph,
  scope: { orgId?: string | null; types?: readonly string[] | null },
): Promise<string[]> {
  const ps = new SqlParams();
  const where = [];
  if (scope.orgId) where.push(`${prop("p", "org_id")} = ${ps.ag(scope.orgId)}`);
  if (scope.types) {
    if (scope.types.length === 0) return [];
    where.push(`EXISTS (SELECT 1 FROM ${table(graph, "TYPE")} y JOIN ${table(graph, "ProjectType")} pt ON pt.id = y.end_id
      WHERE y.start_id = p.id AND ${prop("pt", "slug")} = ANY(${ps.agList(scope.types)}))`);
  }
  const rows = (await graph.sql.unsafe(
    `SELECT ${prop("p", "id")} AS id FROM ${table(graph, "Project")} p ${where.length ? `WHERE ${where.join(" AND ")}` : ""}`,
    ps.values,
  )) as unknown as { id: string }[];
  return rows.map((r) => String(parseAgtype(r.id)));
}

/** A project was created or changed: rescore it, and its neighbours when relationship policies exist. */
export function onProjectChange(s: Services, projectId: string, reason: ScoreReason, by: string): void {
  later(s, reason, by, async () => {
    if (!(await relationshipPoliciesExist(s.graph))) return [projectId];
    const pairs = await dependencyPairs(s.graph, [projectId]);
    return [projectId, ...pairs.flatMap((p) => [p.source, p.target])];
  });
}

/**
 * The DEPENDS_ON neighbours of a project about to be deleted, when a relationship condition policy
 * could have counted it (else none): call before the delete, enqueue after it.
 */
export async function neighboursToRescore(graph: Graph, projectId: string): Promise<string[]> {
  if (!(await relationshipPoliciesExist(graph))) return [];
  const pairs = await dependencyPairs(graph, [projectId]);
  return [...new Set(pairs.flatMap((p) => [p.source, p.target]))].filter((id) => id !== projectId);
}

/** A DEPENDS_ON edge was added or removed: the source rescores; the target too under relationship policies. */
export function onDependencyChange(s: Services, source: string, target: string, by: string): void {
  later(s, "dependency_change", by, async () =>
    (await relationshipPoliciesExist(s.graph)) ? [source, target] : [source],
  );
}

/** The project types a policy applies to (null = every type). */
const scopeOf = (p: Pick<ScoringPolicy, "targets">): string[] | null => (p.targets.length ? p.targets : null);

/** A policy was created, patched or deleted: rescore every project it applied to before or applies to now. */
export function onPolicyChange(
  s: Services,
  before: ScoringPolicy | null,
  after: ScoringPolicy | null,
  by: string,
): void {
  later(s, "policy_change", by, async () => {
    const scopes = [before, after].filter((p): p is ScoringPolicy => p !== null).map(scopeOf);
    if (scopes.some((t) => t === null)) return projectIdsFor(s.graph, {});
    return projectIdsFor(s.graph, { types: scopes.flat() as string[] });
  });
}

/**
 * Blueprints changed (a create, or a patch's before and after, or a delete): when any of them shapes
 * projects (a Project node blueprint, or a relationship from Project), rescore the projects of their
 * filters' types — all projects when one is unfiltered. The attribute set a policy may read changed.
 */
export function onBlueprintChange(s: Services, blueprints: readonly Blueprint[], by: string): void {
  const relevant = blueprints.filter((b) =>
    b.kind === "node" ? b.type === "Project" : b.source === "Project",
  );
  if (relevant.length === 0) return;
  const all = relevant.some((b) => b.filter.project_types.length === 0);
  later(s, "blueprint_change", by, () =>
    projectIdsFor(s.graph, { types: all ? null : relevant.flatMap((b) => b.filter.project_types) }),
  );
}
