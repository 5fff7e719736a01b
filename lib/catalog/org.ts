import { DomainError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";

/** The organization a catalog request is scoped to. */
export interface OrgRef {
  id: string;
  slug: string;
}

/**
 * Resolves the `{org}` path segment to the organization's id (catalog vertices carry `org_id`, so
 * renaming an organization's slug does not touch them); 404 when it does not exist.
 */
export async function resolveOrg(graph: Graph, slug: string): Promise<OrgRef> {
  const row = await graph.one<{ id: string }>(
    "MATCH (o:Organization) WHERE o.slug = $slug RETURN o.id",
    { slug },
    ["id"],
  );
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
  return { id: row.id, slug };
}

/** The organization with this id (slugs change, ids do not); undefined when it no longer exists. */
export async function orgById(graph: Graph, id: string): Promise<OrgRef | undefined> {
  const row = await graph.one<{ slug: string }>(
    "MATCH (o:Organization) WHERE o.id = $id RETURN o.slug",
    { id },
    ["slug"],
  );
  return row ? { id, slug: row.slug } : undefined;
}
