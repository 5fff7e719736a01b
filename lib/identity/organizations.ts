import { nanoid } from "nanoid";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { type Graph, propsMap, UniqueViolation } from "../graph/graph.ts";

/** An organization as the API shows it. */
export interface Organization {
  id: string;
  slug: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** Maps an Organization vertex to the API shape. */
export function toOrganization(v: AgValue | undefined): Organization {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    id: String(p.id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

/** Creates an organization; 409 when the slug is taken (the unique index decides races). */
export async function createOrganization(
  graph: Graph,
  input: { slug: string; name: string; description?: string },
): Promise<Organization> {
  const now = new Date().toISOString();
  const props = {
    id: nanoid(),
    slug: input.slug,
    name: input.name,
    description: input.description ?? "",
    created_at: now,
    updated_at: now,
  };
  try {
    const row = await graph.one(`CREATE (o:Organization ${propsMap(Object.keys(props))}) RETURN o`, props);
    return toOrganization(row?.v ?? null);
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `An organization with slug '${input.slug}' already exists.`);
    throw e;
  }
}

/** Loads an organization by slug, or throws 404. */
export async function getOrganization(graph: Graph, slug: string): Promise<Organization> {
  const row = await graph.one("MATCH (o:Organization {slug: $slug}) RETURN o", { slug });
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
  return toOrganization(row.v);
}

/** Writes the mutable fields (including a new slug; 409 if taken). */
export async function updateOrganization(
  graph: Graph,
  slug: string,
  fields: Pick<Organization, "slug" | "name" | "description">,
): Promise<Organization> {
  try {
    const row = await graph.one(
      `MATCH (o:Organization {slug: $slug})
       SET o.slug = $new_slug, o.name = $name, o.description = $description, o.updated_at = $now
       RETURN o`,
      {
        slug,
        new_slug: fields.slug,
        name: fields.name,
        description: fields.description,
        now: new Date().toISOString(),
      },
    );
    if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
    return toOrganization(row.v);
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `An organization with slug '${fields.slug}' already exists.`);
    throw e;
  }
}

/**
 * Deletes an organization and its memberships. Refused (409) while anything still belongs to it,
 * so nothing is orphaned; the catalog issue adds `?cascade=true`.
 */
export async function deleteOrganization(graph: Graph, slug: string): Promise<void> {
  await graph.tx(async (g) => {
    const row = await g.one<{ owned: number }>(
      `MATCH (o:Organization {slug: $slug})
       OPTIONAL MATCH (x)-[:BELONGS_TO]->(o)
       RETURN count(x)`,
      { slug },
      ["owned"],
    );
    const exists = await g.one("MATCH (o:Organization {slug: $slug}) RETURN o.id", { slug });
    if (!exists) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
    if ((row?.owned ?? 0) > 0)
      throw new DomainError(
        "CONFLICT",
        `Organization '${slug}' still owns ${row?.owned} entities; delete them first.`,
      );
    await g.query("MATCH (o:Organization {slug: $slug}) DETACH DELETE o RETURN 1", { slug });
  });
}

/** Lists organizations by slug after the keyset position (limit + 1 rows). */
export async function listOrganizations(
  graph: Graph,
  q: { after: string | null; limit: number; memberEmail?: string },
): Promise<Organization[]> {
  const rows = q.memberEmail
    ? await graph.query(
        `MATCH (u:User {email: $email})-[:MEMBER_OF]->(o:Organization)
         WHERE $after IS NULL OR o.slug > $after
         RETURN o ORDER BY o.slug LIMIT $limit`,
        { email: q.memberEmail, after: q.after, limit: q.limit + 1 },
      )
    : await graph.query(
        "MATCH (o:Organization) WHERE $after IS NULL OR o.slug > $after RETURN o ORDER BY o.slug LIMIT $limit",
        { after: q.after, limit: q.limit + 1 },
      );
  return rows.map((r) => toOrganization(r.v));
}
