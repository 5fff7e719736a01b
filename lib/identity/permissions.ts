import type { Graph } from "../graph/graph.ts";
import { roleClosures } from "./role_cache.ts";

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
  const [row, closures] = await Promise.all([
    graph.one<{ role: string | null }>(
      "MATCH (u:User)-[m:MEMBER_OF]->(o:Organization) WHERE u.email = $email AND o.slug = $org RETURN m.role",
      { email, org: orgSlug },
      ["role"],
    ),
    roleClosures(graph),
  ]);
  if (!row) return { member: false, role: null, permissions: [] };
  return { member: true, role: row.role, permissions: [...(closures.get(row.role ?? "") ?? [])] };
}

/** Every organization a user belongs to, with the role and the effective permissions there. */
export async function membershipsOf(
  graph: Graph,
  email: string,
): Promise<{ slug: string; name: string; role: string; permissions: string[] }[]> {
  const [rows, closures] = await Promise.all([
    graph.query<{ slug: string; name: string; role: string }>(
      `MATCH (u:User)-[m:MEMBER_OF]->(o:Organization) WHERE u.email = $email
       RETURN o.slug, o.name, m.role ORDER BY o.slug`,
      { email },
      ["slug", "name", "role"],
    ),
    roleClosures(graph),
  ]);
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    role: r.role,
    permissions: [...(closures.get(r.role) ?? [])],
  }));
}
