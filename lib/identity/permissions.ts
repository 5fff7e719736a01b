import type { Graph } from "../graph/graph.ts";

/**
 * The permissions a user holds **in one organization**: the role of their MEMBER_OF edge to that
 * organization, plus every role it inherits from, through GRANTS. A role in another organization
 * contributes nothing (the reference's ⚠: it unioned over all organizations).
 */
export async function permissionsInOrganization(
  graph: Graph,
  email: string,
  orgSlug: string,
): Promise<{ member: boolean; role: string | null; permissions: string[] }> {
  const row = await graph.one<{ role: string | null; perms: string[] | null }>(
    `MATCH (u:User {email: $email})-[m:MEMBER_OF]->(o:Organization {slug: $org})
     OPTIONAL MATCH (r:Role) WHERE r.slug = m.role
     OPTIONAL MATCH (r)-[:INHERITS_FROM*0..16]->(a:Role)-[:GRANTS]->(p:Permission)
     RETURN m.role, collect(DISTINCT p.name)`,
    { email, org: orgSlug },
    ["role", "perms"],
  );
  if (!row) return { member: false, role: null, permissions: [] };
  return { member: true, role: row.role, permissions: [...(row.perms ?? [])].sort() };
}

/** Every organization a user belongs to, with the role and the effective permissions there. */
export async function membershipsOf(
  graph: Graph,
  email: string,
): Promise<{ slug: string; name: string; role: string; permissions: string[] }[]> {
  const rows = await graph.query<{ slug: string; name: string; role: string; perms: string[] | null }>(
    `MATCH (u:User {email: $email})-[m:MEMBER_OF]->(o:Organization)
     OPTIONAL MATCH (r:Role) WHERE r.slug = m.role
     OPTIONAL MATCH (r)-[:INHERITS_FROM*0..16]->(a:Role)-[:GRANTS]->(p:Permission)
     RETURN o.slug, o.name, m.role, collect(DISTINCT p.name)
     ORDER BY o.slug`,
    { email },
    ["slug", "name", "role", "perms"],
  );
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    role: r.role,
    permissions: [...(r.perms ?? [])].sort(),
  }));
}
