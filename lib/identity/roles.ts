import { PERMISSIONS, SYSTEM_ROLE_SLUGS } from "../auth/catalog.ts";
import { DomainError } from "../errors.ts";
import type { Vertex } from "../graph/agtype.ts";
import { changedMeanwhile, type Graph, nextUpdatedAt, propsMap, UniqueViolation } from "../graph/graph.ts";
import { prop, SqlParams, table } from "../graph/sql.ts";
import { bumpRoleVersion, roleClosures } from "./role_cache.ts";

/** A role as the API shows it. */
export interface Role {
  slug: string;
  name: string;
  description: string;
  priority: number;
  is_system: boolean;
  is_default: boolean;
  inherits_from: string | null;
  permissions: string[];
  created_at: string;
  updated_at: string;
}

const ROLE_QUERY = `OPTIONAL MATCH (r)-[:GRANTS]->(p:Permission)
  OPTIONAL MATCH (r)-[:INHERITS_FROM]->(parent:Role)
  RETURN r, parent.slug, collect(DISTINCT p.name)`;

function toRole(row: Record<string, unknown>): Role {
  const p = (row.r as Vertex).properties as Record<string, unknown>;
  return {
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    priority: Number(p.priority ?? 0),
    is_system: p.is_system === true,
    is_default: p.is_default === true,
    inherits_from: (row.parent as string | null) ?? null,
    permissions: [...((row.perms as string[] | null) ?? [])].sort(),
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

/** Loads a role with its direct grants and parent, or 404. */
export async function getRole(graph: Graph, slug: string): Promise<Role> {
  const row = await graph.one(`MATCH (r:Role {slug: $slug}) ${ROLE_QUERY}`, { slug }, [
    "r",
    "parent",
    "perms",
  ]);
  if (!row) throw new DomainError("NOT_FOUND", `No role with slug '${slug}'.`);
  return toRole(row);
}

/** Lists every role by descending priority, then slug. */
export async function listRoles(graph: Graph): Promise<Role[]> {
  const rows = await graph.query(`MATCH (r:Role) ${ROLE_QUERY} ORDER BY r.priority DESC, r.slug`, {}, [
    "r",
    "parent",
    "perms",
  ]);
  return rows.map(toRole);
}

function assertPermissions(perms: readonly string[]): void {
  const unknown = perms.filter((p) => !PERMISSIONS.includes(p));
  if (unknown.length > 0)
    throw new DomainError(
      "BAD_REQUEST",
      `Unknown permission(s): ${unknown.join(", ")}. See GET /api/permissions.`,
    );
}

async function assertNoCycle(graph: Graph, slug: string, parent: string): Promise<void> {
  if (parent === slug) throw new DomainError("BAD_REQUEST", "A role cannot inherit from itself.");
  // A recursive CTE over the label tables, not Cypher's `*1..16`: inside a write transaction, AGE's
  // variable-length match asks for a share lock on the edge table, which concurrent role writes
  // hold in row-exclusive mode — on a real server that hung every concurrent create with a parent.
  const ps = new SqlParams();
  const [edges, roles] = [table(graph, "INHERITS_FROM"), table(graph, "Role")];
  const rows = await graph.sql.unsafe(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT e.end_id, 1 FROM ${edges} e JOIN ${roles} r ON r.id = e.start_id
        WHERE ${prop("r", "slug")} = ${ps.ag(parent)}
       UNION
       SELECT e.end_id, u.depth + 1 FROM up u JOIN ${edges} e ON e.start_id = u.id WHERE u.depth < 16)
     SELECT 1 FROM up JOIN ${roles} x ON x.id = up.id WHERE ${prop("x", "slug")} = ${ps.ag(slug)} LIMIT 1`,
    ps.values,
  );
  if (rows.length > 0)
    throw new DomainError(
      "BAD_REQUEST",
      `'${parent}' already inherits from '${slug}'; that would be a cycle.`,
    );
}

/** Creates a custom role with optional parent and grants (one transaction). */
export async function createRole(
  graph: Graph,
  input: {
    slug: string;
    name: string;
    description?: string;
    priority?: number;
    inherits_from?: string | null;
    permissions?: string[];
  },
): Promise<Role> {
  assertPermissions(input.permissions ?? []);
  const now = new Date().toISOString();
  try {
    await graph.tx(async (g) => {
      const props = {
        slug: input.slug,
        name: input.name,
        description: input.description ?? "",
        priority: input.priority ?? 200,
        is_system: false,
        is_default: false,
        created_at: now,
        updated_at: now,
      };
      await g.query(`CREATE (r:Role ${propsMap(Object.keys(props))}) RETURN r`, props);
      if (input.inherits_from) await setParent(g, input.slug, input.inherits_from);
      for (const perm of input.permissions ?? []) await grant(g, input.slug, perm);
      await bumpRoleVersion(g);
    });
  } catch (e) {
    if (e instanceof UniqueViolation)
      throw new DomainError("CONFLICT", `A role with slug '${input.slug}' already exists.`);
    throw e;
  }
  return getRole(graph, input.slug);
}

async function setParent(g: Graph, slug: string, parent: string | null): Promise<void> {
  await g.query("MATCH (r:Role {slug: $slug})-[e:INHERITS_FROM]->() DELETE e RETURN 1", { slug });
  if (!parent) return;
  await assertNoCycle(g, slug, parent);
  const row = await g.one(
    "MATCH (r:Role {slug: $slug}), (p:Role {slug: $parent}) CREATE (r)-[:INHERITS_FROM]->(p) RETURN 1",
    { slug, parent },
  );
  if (!row) throw new DomainError("BAD_REQUEST", `No role '${parent}' to inherit from.`);
}

async function grant(g: Graph, slug: string, permission: string): Promise<void> {
  await g.query(
    // Not MERGE: AGE's MERGE of an edge between MATCHed vertices returns a row but persists
    // nothing here, so the idempotence check is explicit.
    `MATCH (r:Role {slug: $slug}), (p:Permission {name: $perm})
     WHERE NOT exists((r)-[:GRANTS]->(p))
     CREATE (r)-[:GRANTS]->(p) RETURN 1`,
    { slug, perm: permission },
  );
}

function assertMutable(slug: string, what: string, code: "BAD_REQUEST" | "FORBIDDEN"): void {
  if (SYSTEM_ROLE_SLUGS.has(slug))
    throw new DomainError(
      code,
      `'${slug}' is a system role and cannot be ${what}; create a custom role instead.`,
    );
}

/**
 * Updates a custom role's fields and parent; system roles → 400. With `ifUnchangedSince` (the
 * `updated_at` the caller's If-Match was checked against) a concurrent change makes it 412.
 */
export async function updateRole(
  graph: Graph,
  slug: string,
  fields: { name: string; description: string; priority: number; inherits_from: string | null },
  ifUnchangedSince?: string,
): Promise<Role> {
  assertMutable(slug, "changed", "BAD_REQUEST");
  await getRole(graph, slug);
  await graph.tx(async (g) => {
    const row = await g.one(
      `MATCH (r:Role) WHERE r.slug = $slug AND ($guard IS NULL OR r.updated_at = $guard)
       SET r.name = $name, r.description = $description, r.priority = $priority, r.updated_at = $now RETURN r`,
      {
        slug,
        name: fields.name,
        description: fields.description,
        priority: fields.priority,
        guard: ifUnchangedSince ?? null,
        now: nextUpdatedAt(ifUnchangedSince),
      },
    );
    if (!row)
      throw ifUnchangedSince
        ? changedMeanwhile(`Role '${slug}'`)
        : new DomainError("NOT_FOUND", `No role with slug '${slug}'.`);
    await setParent(g, slug, fields.inherits_from);
    await bumpRoleVersion(g);
  });
  return getRole(graph, slug);
}

/** Deletes a custom role; refused while any membership uses it (409) or a role inherits from it. */
export async function deleteRole(graph: Graph, slug: string): Promise<void> {
  assertMutable(slug, "deleted", "BAD_REQUEST");
  await getRole(graph, slug);
  await graph.tx(async (g) => {
    const used = await g.one<{ n: number }>(
      "MATCH ()-[m:MEMBER_OF]->() WHERE m.role = $slug RETURN count(m)",
      { slug },
      ["n"],
    );
    if ((used?.n ?? 0) > 0)
      throw new DomainError(
        "CONFLICT",
        `Role '${slug}' is held by ${used?.n} membership(s); reassign them first.`,
      );
    const children = await g.one<{ n: number }>(
      "MATCH (c:Role)-[:INHERITS_FROM]->(r:Role {slug: $slug}) RETURN count(c)",
      { slug },
      ["n"],
    );
    if ((children?.n ?? 0) > 0)
      throw new DomainError(
        "CONFLICT",
        `Role '${slug}' is inherited by ${children?.n} role(s); change them first.`,
      );
    await g.query("MATCH (r:Role) WHERE r.slug = $slug DETACH DELETE r RETURN 1", { slug });
    await bumpRoleVersion(g);
  });
}

/** Grants a permission to a custom role (idempotent); system roles → 403. */
export async function grantPermission(graph: Graph, slug: string, permission: string): Promise<Role> {
  assertMutable(slug, "changed", "FORBIDDEN");
  assertPermissions([permission]);
  await getRole(graph, slug);
  await graph.tx(async (g) => {
    await grant(g, slug, permission);
    await bumpRoleVersion(g);
  });
  return getRole(graph, slug);
}

/** Revokes a permission from a custom role; 404 when it was not granted. */
export async function revokePermission(graph: Graph, slug: string, permission: string): Promise<Role> {
  assertMutable(slug, "changed", "FORBIDDEN");
  await getRole(graph, slug);
  await graph.tx(async (g) => {
    const row = await g.one(
      "MATCH (r:Role)-[e:GRANTS]->(p:Permission) WHERE r.slug = $slug AND p.name = $perm DELETE e RETURN 1",
      { slug, perm: permission },
    );
    if (!row) throw new DomainError("NOT_FOUND", `Role '${slug}' does not grant ${permission}.`);
    await bumpRoleVersion(g);
  });
  return getRole(graph, slug);
}

/**
 * One page of roles in list order (priority descending, then slug) after the keyset position
 * `after`; fetches limit + 1 to detect a next page.
 */
export async function listRolesPage(
  graph: Graph,
  q: { after: { priority: number; slug: string } | null; limit: number },
): Promise<Role[]> {
  const rows = await graph.query(
    `MATCH (r:Role)
     WHERE $after_slug IS NULL OR r.priority < $after_priority
        OR (r.priority = $after_priority AND r.slug > $after_slug)
     ${ROLE_QUERY} ORDER BY r.priority DESC, r.slug LIMIT $limit`,
    { after_slug: q.after?.slug ?? null, after_priority: q.after?.priority ?? null, limit: q.limit + 1 },
    ["r", "parent", "perms"],
  );
  return rows.map(toRole);
}

/** Every permission a role confers: its own grants plus those of the roles it inherits from. */
export async function effectivePermissions(graph: Graph, slug: string): Promise<string[]> {
  return [...((await roleClosures(graph)).get(slug) ?? [])];
}
