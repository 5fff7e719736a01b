import { nanoid } from "nanoid";
import {
  type AttributeUpdate,
  attributesOf,
  attributeWrites,
  checkNodeAttributes,
  vertexAttributes,
} from "../blueprints/node_attributes.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";

/** An organization as the API shows it; blueprint attributes are extra top-level keys. */
export interface Organization {
  id: string;
  slug: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  [attribute: string]: unknown;
}

/** Vertex properties and document keys that are not blueprint attributes. */
export const ORGANIZATION_CORE: ReadonlySet<string> = new Set([
  "id",
  "slug",
  "name",
  "description",
  "created_at",
  "updated_at",
  // Scoring levels (lib/scoring/levels.ts) have their own routes.
  "score_levels_json",
]);

/** Maps an Organization vertex to the API shape. */
export function toOrganization(v: AgValue | undefined): Organization {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    ...vertexAttributes(p, ORGANIZATION_CORE),
    id: String(p.id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

/**
 * Creates an organization; 409 when the slug is taken (the unique index decides races). Keys
 * beyond the core fields are blueprint attributes, validated against the Organization blueprints.
 */
export async function createOrganization(
  graph: Graph,
  input: { slug: string; name: string; description?: string; [attribute: string]: unknown },
): Promise<Organization> {
  const attrs = await checkNodeAttributes(
    graph,
    "Organization",
    attributesOf(input, new Set(["slug", "name", "description"])),
    ORGANIZATION_CORE,
  );
  const now = new Date().toISOString();
  const props = {
    ...attrs,
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
  const row = await graph.one("MATCH (o:Organization) WHERE o.slug = $slug RETURN o", { slug });
  if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
  return toOrganization(row.v);
}

/**
 * Writes the mutable fields (including a new slug; 409 if taken). With `attributes` the patched
 * blueprint attributes are re-validated and written; the ones no longer present are removed.
 * With `ifUnchangedSince` (the `updated_at` the caller's If-Match was checked against) a
 * concurrent change makes it 412.
 */
export async function updateOrganization(
  graph: Graph,
  slug: string,
  fields: Pick<Organization, "slug" | "name" | "description">,
  attributes?: AttributeUpdate,
  ifUnchangedSince?: string,
): Promise<Organization> {
  const params: Record<string, unknown> = {
    slug,
    new_slug: fields.slug,
    name: fields.name,
    description: fields.description,
    guard: ifUnchangedSince ?? null,
    now: nextUpdatedAt(ifUnchangedSince),
  };
  const attrs = attributes
    ? attributeWrites(
        "o",
        await checkNodeAttributes(graph, "Organization", attributes.values, ORGANIZATION_CORE),
        attributes.previous,
        params,
      )
    : { set: [], remove: "" };
  try {
    const row = await graph.one(
      `MATCH (o:Organization) WHERE o.slug = $slug AND ($guard IS NULL OR o.updated_at = $guard)
       SET ${["o.slug = $new_slug", "o.name = $name", "o.description = $description", "o.updated_at = $now", ...attrs.set].join(", ")}
       ${attrs.remove}
       RETURN o`,
      params,
    );
    if (!row)
      throw ifUnchangedSince
        ? changedMeanwhile(`Organization '${slug}'`)
        : new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
    return toOrganization(row.v);
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `An organization with slug '${fields.slug}' already exists.`);
    throw e;
  }
}

/**
 * Deletes an organization and its memberships, in one transaction. While anything still belongs to
 * it (a vertex with its `org_id` or a BELONGS_TO edge to it) this is a 409 that lists what, unless
 * `cascade`, which deletes all of those vertices (and their edges) with it: nothing is orphaned.
 */
export async function deleteOrganization(
  graph: Graph,
  slug: string,
  opts: { cascade?: boolean } = {},
): Promise<{ deleted: Record<string, number> }> {
  return graph.tx(async (g) => {
    const org = await g.one<{ id: string }>(
      "MATCH (o:Organization) WHERE o.slug = $slug RETURN o.id",
      { slug },
      ["id"],
    );
    if (!org) throw new DomainError("NOT_FOUND", `No organization with slug '${slug}'.`);
    // Two cheap statements instead of one OR over every vertex: by org_id, then BELONGS_TO-only.
    const rows = [
      ...(await g.query<{ label: string; n: number }>(
        "MATCH (x) WHERE x.org_id = $id RETURN label(x), count(x)",
        { id: org.id },
        ["label", "n"],
      )),
      ...(await g.query<{ label: string; n: number }>(
        `MATCH (x)-[:BELONGS_TO]->(o:Organization) WHERE o.id = $id AND x.org_id IS NULL
         RETURN label(x), count(x)`,
        { id: org.id },
        ["label", "n"],
      )),
    ];
    const owned: Record<string, number> = {};
    for (const r of rows) owned[r.label] = (owned[r.label] ?? 0) + Number(r.n);
    const total = Object.values(owned).reduce((a, b) => a + b, 0);
    if (total > 0 && !opts.cascade) {
      const list = Object.entries(owned)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, n]) => `${n} ${label}`)
        .join(", ");
      throw new DomainError(
        "CONFLICT",
        `Organization '${slug}' still owns ${list}; delete them first, or delete with ?cascade=true ` +
          "to delete everything in it.",
      );
    }
    if (total > 0) {
      await g.query("MATCH (x) WHERE x.org_id = $id DETACH DELETE x RETURN 1", { id: org.id });
      await g.query("MATCH (x)-[:BELONGS_TO]->(o:Organization) WHERE o.id = $id DETACH DELETE x RETURN 1", {
        id: org.id,
      });
    }
    await g.query("MATCH (o:Organization) WHERE o.id = $id DETACH DELETE o RETURN 1", { id: org.id });
    return { deleted: owned };
  });
}

/**
 * Lists organizations by slug after the keyset position (limit + 1 rows); with `slugs`, only those
 * (the ones a caller may read, decided by the verb).
 */
export async function listOrganizations(
  graph: Graph,
  q: { after: string | null; limit: number; slugs?: readonly string[] },
): Promise<Organization[]> {
  if (q.slugs?.length === 0) return [];
  const rows = await graph.query(
    `MATCH (o:Organization)
     WHERE ($slugs IS NULL OR o.slug IN $slugs) AND ($after IS NULL OR o.slug > $after)
     RETURN o ORDER BY o.slug LIMIT $limit`,
    { slugs: q.slugs ? [...q.slugs] : null, after: q.after, limit: q.limit + 1 },
  );
  return rows.map((r) => toOrganization(r.v));
}
