import { DomainError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";

/** The organization a catalog request is scoped to. */
export interface OrgRef {
  id: string;
  slug: string;
}

// Per request (a Graph is built per request, so entries die with it): organizations already
// resolved, e.g. by the permission check that loaded the caller's role there.
const known = new WeakMap<Graph, Map<string, OrgRef>>();

/** Records an organization this request has already resolved. */
export function rememberOrg(graph: Graph, org: OrgRef): void {
  const m = known.get(graph) ?? new Map<string, OrgRef>();
  m.set(org.slug, org);
  known.set(graph, m);
}

/**
 * Resolves the `{org}` path segment to the organization's id (catalog vertices carry `org_id`, so
 * renaming an organization's slug does not touch them); 404 when it does not exist.
 */
export async function resolveOrg(graph: Graph, slug: string): Promise<OrgRef> {
  const hit = known.get(graph)?.get(slug);
  if (hit) return hit;
  const row = await graph.one<{ id: string }>(
    "MATCH (o:Organization) WHERE o.slug = $slug RETURN o.id",
    { slug },
    ["id"],
  );
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
  return { id: row.id, slug };
}
