import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";
import { roleClosures } from "./role_cache.ts";

// Storage of service accounts: `ServiceAccount` vertices keyed by a slug unique per installation,
// members of organizations through the same `MEMBER_OF {role}` edge as users (so lib/core/grants.ts
// evaluates both alike). They have no password property and no `is_admin`: login matches only
// `User` vertices, and lib/core/actor.ts never makes a service account an administrator.

/** A service account as the API shows it. */
export interface ServiceAccount {
  slug: string;
  display_name: string;
  description: string;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** A service account's membership of an organization. */
export interface ServiceAccountMembership {
  service_account: string;
  organization: string;
  role: string;
  created_at: string;
}

/** Maps a ServiceAccount vertex to the API shape. */
export function toServiceAccount(v: AgValue | undefined): ServiceAccount {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    slug: String(p.slug),
    display_name: String(p.display_name ?? ""),
    description: String(p.description ?? ""),
    is_active: p.is_active !== false,
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

const notFound = (slug: string) => new DomainError("NOT_FOUND", `No service account with slug '${slug}'.`);

/** Creates a service account; 409 when the slug is taken. */
export async function createServiceAccount(
  graph: Graph,
  input: { slug: string; display_name: string; description?: string; is_active?: boolean },
): Promise<ServiceAccount> {
  const now = new Date().toISOString();
  const props = {
    slug: input.slug,
    display_name: input.display_name,
    description: input.description ?? "",
    is_active: input.is_active ?? true,
    created_at: now,
    updated_at: now,
  };
  try {
    const row = await graph.one(`CREATE (s:ServiceAccount ${propsMap(Object.keys(props))}) RETURN s`, props);
    return toServiceAccount(row?.v);
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `A service account with slug '${input.slug}' already exists.`);
    throw e;
  }
}

/** Loads a service account, or throws 404. */
export async function getServiceAccount(graph: Graph, slug: string): Promise<ServiceAccount> {
  const row = await graph.one("MATCH (s:ServiceAccount) WHERE s.slug = $slug RETURN s", { slug });
  if (!row) throw notFound(slug);
  return toServiceAccount(row.v);
}

/** Service accounts by slug after the keyset position (limit + 1 rows); `active` filters. */
export async function listServiceAccounts(
  graph: Graph,
  q: { after: string | null; limit: number; active?: boolean },
): Promise<ServiceAccount[]> {
  const rows = await graph.query(
    `MATCH (s:ServiceAccount)
     WHERE ($after IS NULL OR s.slug > $after) AND ($active IS NULL OR s.is_active = $active)
     RETURN s ORDER BY s.slug LIMIT $limit`,
    { after: q.after, active: q.active ?? null, limit: q.limit + 1 },
  );
  return rows.map((r) => toServiceAccount(r.v));
}

/**
 * Writes the mutable fields; with `ifUnchangedSince` (the `updated_at` the caller's If-Match was
 * checked against) a concurrent change makes it 412.
 */
export async function updateServiceAccount(
  graph: Graph,
  slug: string,
  fields: Pick<ServiceAccount, "display_name" | "description" | "is_active">,
  ifUnchangedSince?: string,
): Promise<ServiceAccount> {
  const row = await graph.one(
    `MATCH (s:ServiceAccount) WHERE s.slug = $slug AND ($guard IS NULL OR s.updated_at = $guard)
     SET s.display_name = $display_name, s.description = $description, s.is_active = $is_active,
         s.updated_at = $now
     RETURN s`,
    { slug, ...fields, guard: ifUnchangedSince ?? null, now: nextUpdatedAt(ifUnchangedSince) },
  );
  if (!row) throw ifUnchangedSince ? changedMeanwhile(`Service account '${slug}'`) : notFound(slug);
  return toServiceAccount(row.v);
}

/** Deletes a service account and its memberships (DETACH); 404 when absent. */
export async function deleteServiceAccount(graph: Graph, slug: string): Promise<void> {
  const row = await graph.one("MATCH (s:ServiceAccount) WHERE s.slug = $slug DETACH DELETE s RETURN 1", {
    slug,
  });
  if (!row) throw notFound(slug);
}

async function assertRole(g: Graph, role: string): Promise<void> {
  if (!(await g.one("MATCH (r:Role) WHERE r.slug = $role RETURN r.slug", { role })))
    throw new DomainError("BAD_REQUEST", `Unknown role '${role}'. See GET /api/roles.`);
}

const notMember = (slug: string, org: string) =>
  new DomainError("NOT_FOUND", `Service account '${slug}' is not a member of '${org}'.`);

/** Adds the account to an organization with a role; 400 unknown org/role, 409 already a member. */
export async function addServiceAccountMembership(
  g: Graph,
  slug: string,
  org: string,
  role: string,
): Promise<ServiceAccountMembership> {
  return g.tx(async (t) => {
    if (!(await t.one("MATCH (s:ServiceAccount) WHERE s.slug = $slug RETURN s.slug", { slug })))
      throw notFound(slug);
    if (!(await t.one("MATCH (o:Organization) WHERE o.slug = $org RETURN o.slug", { org })))
      throw new DomainError("BAD_REQUEST", `Unknown organization '${org}'.`);
    await assertRole(t, role);
    if (
      await t.one(
        "MATCH (:ServiceAccount {slug: $slug})-[m:MEMBER_OF]->(:Organization {slug: $org}) RETURN m.role",
        { slug, org },
      )
    )
      throw new DomainError(
        "CONFLICT",
        `'${slug}' is already a member of '${org}'; change the role instead.`,
      );
    const now = new Date().toISOString();
    await t.query(
      `MATCH (s:ServiceAccount), (o:Organization) WHERE s.slug = $slug AND o.slug = $org
       CREATE (s)-[:MEMBER_OF {role: $role, created_at: $now}]->(o) RETURN 1`,
      { slug, org, role, now },
    );
    return { service_account: slug, organization: org, role, created_at: now };
  });
}

/** Loads one membership, or throws 404. */
export async function getServiceAccountMembership(
  g: Graph,
  slug: string,
  org: string,
): Promise<ServiceAccountMembership> {
  const row = await g.one<{ role: string; created: string | null }>(
    "MATCH (:ServiceAccount {slug: $slug})-[m:MEMBER_OF]->(:Organization {slug: $org}) RETURN m.role, m.created_at",
    { slug, org },
    ["role", "created"],
  );
  if (!row) throw notMember(slug, org);
  return { service_account: slug, organization: org, role: row.role, created_at: String(row.created ?? "") };
}

/** Changes a membership's role (412 with `ifRoleIs` when it changed meanwhile); returns the old role. */
export async function changeServiceAccountRole(
  g: Graph,
  slug: string,
  org: string,
  role: string,
  ifRoleIs?: string,
): Promise<{ membership: ServiceAccountMembership; previous: string }> {
  return g.tx(async (t) => {
    await assertRole(t, role);
    const row = await t.one<{ old: string; created: string }>(
      `MATCH (:ServiceAccount {slug: $slug})-[m:MEMBER_OF]->(:Organization {slug: $org})
       WHERE $guard IS NULL OR m.role = $guard
       WITH m, m.role AS old
       SET m.role = $role
       RETURN old, m.created_at`,
      { slug, org, role, guard: ifRoleIs ?? null },
      ["old", "created"],
    );
    if (!row)
      throw ifRoleIs ? changedMeanwhile(`The membership of '${slug}' in '${org}'`) : notMember(slug, org);
    return {
      membership: { service_account: slug, organization: org, role, created_at: row.created },
      previous: row.old,
    };
  });
}

/** Ends a membership; 404 when there is none. */
export async function removeServiceAccountMembership(g: Graph, slug: string, org: string): Promise<void> {
  const row = await g.one(
    `MATCH (s:ServiceAccount)-[m:MEMBER_OF]->(o:Organization) WHERE s.slug = $slug AND o.slug = $org
     DELETE m RETURN 1`,
    { slug, org },
  );
  if (!row) throw notMember(slug, org);
}

/** The account's organizations with the role and the role's permissions there (before any scope). */
export async function serviceAccountMemberships(
  g: Graph,
  slug: string,
): Promise<{ slug: string; name: string; role: string; permissions: string[] }[]> {
  const [rows, closures] = await Promise.all([
    g.query<{ slug: string; name: string; role: string }>(
      `MATCH (s:ServiceAccount)-[m:MEMBER_OF]->(o:Organization) WHERE s.slug = $slug
       RETURN o.slug, o.name, m.role ORDER BY o.slug`,
      { slug },
      ["slug", "name", "role"],
    ),
    roleClosures(g),
  ]);
  return rows.map((r) => ({ ...r, permissions: [...(closures.get(r.role) ?? [])] }));
}

/** Accounts holding `role` in some organization, by (slug, organization) after the keyset position. */
export async function listServiceAccountsWithRole(
  g: Graph,
  role: string,
  q: { after: { s: string; o: string } | null; limit: number },
): Promise<(ServiceAccount & { organization: string })[]> {
  const rows = await g.query<{ s: AgValue; org: string }>(
    `MATCH (s:ServiceAccount)-[m:MEMBER_OF]->(o:Organization) WHERE m.role = $role
       AND ($after_s IS NULL OR s.slug > $after_s OR (s.slug = $after_s AND o.slug > $after_o))
     RETURN s, o.slug ORDER BY s.slug, o.slug LIMIT $limit`,
    { role, after_s: q.after?.s ?? null, after_o: q.after?.o ?? null, limit: q.limit + 1 },
    ["s", "org"],
  );
  return rows.map((r) => ({ ...toServiceAccount(r.s), organization: r.org }));
}
