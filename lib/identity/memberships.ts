import { DomainError } from "../errors.ts";
import { changedMeanwhile, type Graph } from "../graph/graph.ts";
import { toUser, type User } from "./users.ts";

/** A user's membership of an organization. */
export interface Membership {
  email: string;
  organization: string;
  role: string;
  created_at: string;
}

async function assertRole(g: Graph, role: string): Promise<void> {
  if (!(await g.one("MATCH (r:Role) WHERE r.slug = $role RETURN r.slug", { role })))
    throw new DomainError("BAD_REQUEST", `Unknown role '${role}'. See GET /api/roles.`);
}

/** Adds a user to an organization with a role; 400 for an unknown org/role, 409 if already a member. */
export async function addMembership(g: Graph, email: string, org: string, role: string): Promise<Membership> {
  return g.tx(async (t) => {
    if (!(await t.one("MATCH (u:User) WHERE u.email = $email RETURN u.email", { email })))
      throw new DomainError("NOT_FOUND", `No user with email ${email}.`);
    if (!(await t.one("MATCH (o:Organization) WHERE o.slug = $org RETURN o.slug", { org })))
      throw new DomainError("BAD_REQUEST", `Unknown organization '${org}'.`);
    await assertRole(t, role);
    if (
      await t.one("MATCH (:User {email: $email})-[m:MEMBER_OF]->(:Organization {slug: $org}) RETURN m.role", {
        email,
        org,
      })
    )
      throw new DomainError("CONFLICT", `${email} is already a member of '${org}'; change the role instead.`);
    const now = new Date().toISOString();
    await t.query(
      `MATCH (u:User), (o:Organization) WHERE u.email = $email AND o.slug = $org
       CREATE (u)-[:MEMBER_OF {role: $role, created_at: $now}]->(o) RETURN 1`,
      { email, org, role, now },
    );
    return { email, organization: org, role, created_at: now };
  });
}

/**
 * Changes the role of an existing membership; returns the old role. With `ifRoleIs` (the role the
 * caller's If-Match was checked against) a concurrent change of the role makes it 412.
 */
export async function changeMembershipRole(
  g: Graph,
  email: string,
  org: string,
  role: string,
  ifRoleIs?: string,
): Promise<{ membership: Membership; previous: string }> {
  return g.tx(async (t) => {
    await assertRole(t, role);
    const row = await t.one<{ old: string; created: string }>(
      `MATCH (:User {email: $email})-[m:MEMBER_OF]->(:Organization {slug: $org})
       WHERE $guard IS NULL OR m.role = $guard
       WITH m, m.role AS old
       SET m.role = $role
       RETURN old, m.created_at`,
      { email, org, role, guard: ifRoleIs ?? null },
      ["old", "created"],
    );
    if (!row)
      throw ifRoleIs
        ? changedMeanwhile(`The membership of ${email} in '${org}'`)
        : new DomainError("NOT_FOUND", `${email} is not a member of '${org}'.`);
    return { membership: { email, organization: org, role, created_at: row.created }, previous: row.old };
  });
}

/** Removes a membership; 404 when there is none. */
export async function removeMembership(g: Graph, email: string, org: string): Promise<void> {
  await g.tx(async (t) => {
    const row = await t.one<{ org_id: string }>(
      `MATCH (u:User)-[m:MEMBER_OF]->(o:Organization) WHERE u.email = $email AND o.slug = $org
       DELETE m RETURN o.id`,
      { email, org },
      ["org_id"],
    );
    if (!row) throw new DomainError("NOT_FOUND", `${email} is not a member of '${org}'.`);
    // Team memberships inside that organization go with it: a former member stays on no team.
    await t.query(
      `MATCH (u:User)-[tm:MEMBER_OF_TEAM]->(team:Team) WHERE u.email = $email AND team.org_id = $org_id
       DELETE tm RETURN 1`,
      { email, org_id: row.org_id },
    );
  });
}

/** Members of an organization with their roles, by email after the keyset position (limit + 1). */
export async function listMembers(
  g: Graph,
  org: string,
  q: { after: string | null; limit: number },
): Promise<(User & { role: string })[]> {
  const rows = await g.query(
    `MATCH (u:User)-[m:MEMBER_OF]->(:Organization {slug: $org})
     WHERE $after IS NULL OR u.email > $after
     RETURN u, m.role ORDER BY u.email LIMIT $limit`,
    { org, after: q.after, limit: q.limit + 1 },
    ["u", "role"],
  );
  return rows.map((r) => ({ ...toUser(r.u), role: String(r.role) }));
}

/** Loads one membership, or throws 404. */
export async function getMembership(g: Graph, email: string, org: string): Promise<Membership> {
  const row = await g.one<{ role: string; created: string | null }>(
    "MATCH (:User {email: $email})-[m:MEMBER_OF]->(:Organization {slug: $org}) RETURN m.role, m.created_at",
    { email, org },
    ["role", "created"],
  );
  if (!row) throw new DomainError("NOT_FOUND", `${email} is not a member of '${org}'.`);
  return { email, organization: org, role: row.role, created_at: String(row.created ?? "") };
}
