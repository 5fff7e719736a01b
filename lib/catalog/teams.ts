import { type AttributeUpdate, vertexAttributes } from "../blueprints/node_attributes.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { type Graph, UniqueViolation } from "../graph/graph.ts";
import { toUser, type User } from "../identity/users.ts";
import type { OrgRef } from "./org.ts";
import { createOrgVertex, getOrgVertex, updateOrgVertex } from "./org_vertex.ts";

/** A team as the API shows it; blueprint attributes are extra top-level keys. */
export interface Team {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  [attribute: string]: unknown;
}

/** Vertex properties and document keys that are not blueprint attributes. */
export const TEAM_CORE: ReadonlySet<string> = new Set([
  "id",
  "org_id",
  "slug",
  "name",
  "description",
  "created_at",
  "updated_at",
]);

/** The fields a team's create or patch may set. */
export type TeamFields = Pick<Team, "slug" | "name" | "description">;

/** A user on a team, with when they were added. */
export type TeamMember = User & { added_at: string };

/** A project in a team's listing. */
export interface TeamProject {
  id: string;
  slug: string;
  name: string;
  archived: boolean;
}

/** Maps a Team vertex to the API shape. */
export function toTeam(v: AgValue | undefined): Team {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    ...vertexAttributes(p, TEAM_CORE),
    id: String(p.id),
    org_id: String(p.org_id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

const notFound = (org: OrgRef, slug: string) =>
  new DomainError("NOT_FOUND", `No team '${slug}' in organization '${org.slug}'.`);
const taken = (org: OrgRef, slug: string) =>
  new DomainError("CONFLICT", `A team with slug '${slug}' already exists in organization '${org.slug}'.`);

/**
 * Creates a team with its BELONGS_TO edge in one statement (so both exist or neither does); the
 * (org_id, slug) unique index turns a concurrent duplicate into a 409. Keys beyond the core
 * fields are blueprint attributes, validated against the Team blueprints (defaults applied).
 */
export async function createTeam(
  graph: Graph,
  org: OrgRef,
  input: { slug: string; name: string; description?: string; [attribute: string]: unknown },
): Promise<Team> {
  const fields = { slug: input.slug, name: input.name, description: input.description ?? "" };
  const v = await createOrgVertex(graph, "Team", org, fields, {
    taken: () => taken(org, input.slug),
    attributes: { input, writable: ["slug", "name", "description"], core: TEAM_CORE },
  });
  return toTeam(v);
}

/** Loads a team of the organization by slug, or throws 404. */
export async function getTeam(graph: Graph, org: OrgRef, slug: string): Promise<Team> {
  const v = await getOrgVertex(graph, "Team", org, slug);
  if (v === undefined) throw notFound(org, slug);
  return toTeam(v);
}

/** Teams of the organization by slug after the keyset position (limit + 1 rows); `q` filters names. */
export async function listTeams(
  graph: Graph,
  org: OrgRef,
  q: { after: string | null; limit: number; q?: string },
): Promise<Team[]> {
  const rows = await graph.query(
    `MATCH (t:Team) WHERE t.org_id = $org_id AND ($after IS NULL OR t.slug > $after)
       AND ($q IS NULL OR toLower(t.name) CONTAINS toLower($q))
     RETURN t ORDER BY t.slug LIMIT $limit`,
    { org_id: org.id, after: q.after, q: q.q ?? null, limit: q.limit + 1 },
  );
  return rows.map((r) => toTeam(r.v));
}

/**
 * Writes the mutable fields (a new slug → 409 if taken). With `ifUnchangedSince` (the
 * `updated_at` the caller's If-Match was checked against) a concurrent change makes it 412.
 * With `attributes` the patched attributes are re-validated against the Team blueprints and
 * written; the ones no longer present are removed from the vertex.
 */
export async function updateTeam(
  graph: Graph,
  org: OrgRef,
  slug: string,
  fields: TeamFields,
  ifUnchangedSince?: string,
  attributes?: AttributeUpdate,
): Promise<Team> {
  const v = await updateOrgVertex(graph, "Team", org, slug, {
    values: { slug: fields.slug, name: fields.name, description: fields.description },
    ifUnchangedSince,
    attributes,
    core: TEAM_CORE,
    what: "Team",
    notFound: () => notFound(org, slug),
    taken: () => taken(org, fields.slug),
  });
  return toTeam(v);
}

/**
 * Deletes a team and its memberships in one transaction. While it owns projects: 409, or with
 * `cascade` those projects (and every edge they have) go too. Returns how many projects went.
 */
export async function deleteTeam(
  graph: Graph,
  org: OrgRef,
  slug: string,
  opts: { cascade: boolean },
): Promise<{ projects_deleted: number }> {
  const params = { org_id: org.id, slug, cascade: opts.cascade };
  return graph.tx(async (g) => {
    const row = await g.one<{ id: string; n: number }>(
      `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
       OPTIONAL MATCH (p:Project)-[:OWNED_BY]->(t) RETURN t.id, count(p)`,
      params,
      ["id", "n"],
    );
    if (!row) throw notFound(org, slug);
    const owned = Number(row.n);
    const stillOwns = () =>
      new DomainError(
        "CONFLICT",
        `Team '${slug}' still owns ${owned} project(s); move them to another team, delete them, ` +
          "or delete with ?cascade=true to delete them with the team.",
      );
    if (owned > 0 && !opts.cascade) throw stillOwns();
    if (owned > 0)
      await g.query(
        `MATCH (p:Project)-[:OWNED_BY]->(t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
           AND p.org_id = $org_id
         DETACH DELETE p RETURN 1`,
        params,
      );
    // The guard re-checks inside the delete, so a project added since the count is not orphaned.
    const gone = await g.one<{ n: number }>(
      `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
         AND ($cascade OR NOT exists((:Project)-[:OWNED_BY]->(t)))
       DETACH DELETE t RETURN count(*)`,
      params,
      ["n"],
    );
    if (Number(gone?.n ?? 0) === 0) throw stillOwns();
    return { projects_deleted: owned };
  });
}

/** Members of a team by email after the keyset position (limit + 1); 404 for an unknown team. */
export async function listTeamMembers(
  graph: Graph,
  org: OrgRef,
  slug: string,
  q: { after: string | null; limit: number },
): Promise<TeamMember[]> {
  const rows = await graph.query(
    `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
     OPTIONAL MATCH (u:User)-[m:MEMBER_OF_TEAM]->(t) WHERE $after IS NULL OR u.email > $after
     RETURN u, m.created_at ORDER BY u.email LIMIT $limit`,
    { org_id: org.id, slug, after: q.after, limit: q.limit + 1 },
    ["u", "added"],
  );
  if (rows.length === 0) throw notFound(org, slug);
  return rows.filter((r) => r.u !== null).map((r) => ({ ...toUser(r.u), added_at: String(r.added) }));
}

/**
 * Adds a user to a team. The user must exist and belong to the team's organization (400
 * otherwise, with the field error); already on the team → 409.
 */
export async function addTeamMember(
  graph: Graph,
  org: OrgRef,
  slug: string,
  email: string,
): Promise<TeamMember> {
  const params = { org_id: org.id, slug, email, now: new Date().toISOString() };
  const row = await graph.one<{ team: string; user: string | null; org: boolean; team_member: boolean }>(
    `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
     OPTIONAL MATCH (u:User) WHERE u.email = $email
     OPTIONAL MATCH (u)-[mo:MEMBER_OF]->(o:Organization) WHERE o.id = $org_id
     OPTIONAL MATCH (u)-[mt:MEMBER_OF_TEAM]->(t)
     RETURN t.id, u.email, mo IS NOT NULL, mt IS NOT NULL`,
    params,
    ["team", "user", "org", "team_member"],
  );
  if (!row) throw notFound(org, slug);
  const invalid = (message: string) =>
    new DomainError("VALIDATION_FAILED", message, [{ location: "json.email", message }]);
  if (row.user === null) throw invalid(`No user with email ${email}; create the user first.`);
  if (!row.org)
    throw invalid(`${email} is not a member of organization '${org.slug}'; add them to it first.`);
  const already = new DomainError("CONFLICT", `${email} is already a member of team '${slug}'.`);
  if (row.team_member) throw already;
  try {
    // MERGE may not persist edges between matched vertices in AGE; the pair index decides races.
    const added = await graph.one(
      `MATCH (u:User), (t:Team) WHERE u.email = $email AND t.org_id = $org_id AND t.slug = $slug
         AND NOT exists((u)-[:MEMBER_OF_TEAM]->(t))
       CREATE (u)-[:MEMBER_OF_TEAM {created_at: $now}]->(t) RETURN u`,
      params,
    );
    if (!added) throw already;
    return { ...toUser(added.v), added_at: params.now };
  } catch (e) {
    if (e instanceof UniqueViolation) throw already;
    throw e;
  }
}

/** Removes a user from a team; 404 when the team does not exist or they are not on it. */
export async function removeTeamMember(
  graph: Graph,
  org: OrgRef,
  slug: string,
  email: string,
): Promise<void> {
  const row = await graph.one<{ team: string; n: number }>(
    `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
     OPTIONAL MATCH (:User {email: $email})-[m:MEMBER_OF_TEAM]->(t)
     DELETE m RETURN t.id, count(m)`,
    { org_id: org.id, slug, email },
    ["team", "n"],
  );
  if (!row) throw notFound(org, slug);
  if (Number(row.n) === 0) throw new DomainError("NOT_FOUND", `${email} is not a member of team '${slug}'.`);
}

/** Projects a team owns, by slug after the keyset position (limit + 1); 404 for an unknown team. */
export async function listTeamProjects(
  graph: Graph,
  org: OrgRef,
  slug: string,
  q: { after: string | null; limit: number },
): Promise<TeamProject[]> {
  const rows = await graph.query<{ id: string | null; slug: string; name: string; archived: boolean }>(
    `MATCH (t:Team) WHERE t.org_id = $org_id AND t.slug = $slug
     OPTIONAL MATCH (p:Project)-[:OWNED_BY]->(t) WHERE p.org_id = $org_id AND ($after IS NULL OR p.slug > $after)
     RETURN p.id, p.slug, p.name, p.archived ORDER BY p.slug LIMIT $limit`,
    { org_id: org.id, slug, after: q.after, limit: q.limit + 1 },
    ["id", "slug", "name", "archived"],
  );
  if (rows.length === 0) throw notFound(org, slug);
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: String(r.id),
      slug: String(r.slug),
      name: String(r.name),
      archived: r.archived === true,
    }));
}
