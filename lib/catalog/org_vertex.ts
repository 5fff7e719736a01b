import { DomainError } from "../errors.ts";
import type { AgValue } from "../graph/agtype.ts";
import { type Graph, propsMap, UniqueViolation } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";

/** The org-scoped labels created through this helper (from the schema allow-list). */
export type OrgScopedLabel = "Team" | "Environment" | "ProjectType" | "LinkDefinition";

/**
 * Creates an org-scoped vertex and its BELONGS_TO edge in one statement. `props` must carry `org_id`
 * and `slug`; keys are fixed names from our code (checked by propsMap). A duplicate slug in the
 * organization → `taken()` (the unique (org_id, slug) index decides concurrent creates).
 */
export async function createOrgVertex(
  graph: Graph,
  label: OrgScopedLabel,
  org: OrgRef,
  props: Record<string, unknown> & { org_id: string; slug: string },
  taken: () => DomainError,
): Promise<AgValue | undefined> {
  try {
    const row = await graph.one(
      `MATCH (o:Organization) WHERE o.id = $org_id
       CREATE (v:${label} ${propsMap(Object.keys(props))})-[:BELONGS_TO]->(o) RETURN v`,
      props,
    );
    if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${org.slug}'.`);
    return row.v;
  } catch (e) {
    if (e instanceof UniqueViolation) throw taken();
    throw e;
  }
}

/** Loads an org-scoped vertex by slug; undefined when the organization has none. */
export async function getOrgVertex(
  graph: Graph,
  label: OrgScopedLabel,
  org: OrgRef,
  slug: string,
): Promise<AgValue | undefined> {
  const row = await graph.one(`MATCH (v:${label}) WHERE v.org_id = $org_id AND v.slug = $slug RETURN v`, {
    org_id: org.id,
    slug,
  });
  return row?.v;
}
