// Which projects a write can rescore (reference §6 "Triggers"), enqueued after the response. Every
// function here returns at once: the lookups and the enqueue run through `services.background`, and
// a failure is logged — the daily recompute converges anything a lost request missed.
import type { Blueprint } from "../blueprints/blueprints.ts";
import type { Ctx } from "../core/ctx.ts";
import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { prop, SqlParams, table } from "../graph/sql.ts";
import type { ScoringPolicy } from "./policy.ts";
import { usesRelationships } from "./policy.ts";
import { dependencyPairs } from "./subjects.ts";
import type { ScoreReason } from "./types.ts";

/** Runs `find` in the background and enqueues what it returns (as the context's actor). */
function later(ctx: Ctx, reason: ScoreReason, find: () => Promise<readonly string[]>): void {
  ctx.background(
    find().then(
      (ids) => ctx.rescore([...new Set(ids)], reason),
      (e: unknown) =>
        ctx.log.warn("could not work out which projects to rescore", {
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
export function onProjectChange(ctx: Ctx, projectId: string, reason: ScoreReason): void {
  const s = ctx.services;
  later(ctx, reason, async () => {
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
export function onDependencyChange(ctx: Ctx, source: string, target: string): void {
  later(ctx, "dependency_change", async () =>
    (await relationshipPoliciesExist(ctx.services.graph)) ? [source, target] : [source],
  );
}

/** The project types a policy applies to (null = every type). */
const scopeOf = (p: Pick<ScoringPolicy, "targets">): string[] | null => (p.targets.length ? p.targets : null);

/** A policy was created, patched or deleted: rescore every project it applied to before or applies to now. */
export function onPolicyChange(ctx: Ctx, before: ScoringPolicy | null, after: ScoringPolicy | null): void {
  const s = ctx.services;
  later(ctx, "policy_change", async () => {
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
export function onBlueprintChange(ctx: Ctx, blueprints: readonly Blueprint[]): void {
  const s = ctx.services;
  const relevant = blueprints.filter((b) =>
    b.kind === "node" ? b.type === "Project" : b.source === "Project",
  );
  if (relevant.length === 0) return;
  const all = relevant.some((b) => b.filter.project_types.length === 0);
  later(ctx, "blueprint_change", () =>
    projectIdsFor(s.graph, { types: all ? null : relevant.flatMap((b) => b.filter.project_types) }),
  );
}
