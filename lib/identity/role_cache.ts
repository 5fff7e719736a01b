import type { Graph } from "../graph/graph.ts";

/** Role slug → every permission it confers (own grants plus inherited ones). */
export type RoleClosures = ReadonlyMap<string, readonly string[]>;

// Isolate-safe: a pure function of database state, and every use first reads role_version (bumped
// in the same transaction as any role, grant or inheritance change), so a stale entry is never used.
let cached: { version: string; closures: RoleClosures } | undefined;

const MAX_DEPTH = 16;

/** Marks role data as changed; call inside the transaction that changes roles or grants. */
export async function bumpRoleVersion(graph: Graph): Promise<void> {
  await graph.sql`UPDATE role_version SET version = version + 1 WHERE id = 1`;
}

async function load(graph: Graph): Promise<RoleClosures> {
  const [grants, parents] = await Promise.all([
    graph.query<{ slug: string; perms: string[] | null }>(
      "MATCH (r:Role) OPTIONAL MATCH (r)-[:GRANTS]->(p:Permission) RETURN r.slug, collect(p.name)",
      {},
      ["slug", "perms"],
    ),
    graph.query<{ child: string; parent: string }>(
      "MATCH (c:Role)-[:INHERITS_FROM]->(p:Role) RETURN c.slug, p.slug",
      {},
      ["child", "parent"],
    ),
  ]);
  const own = new Map(grants.map((g) => [g.slug, g.perms ?? []]));
  const parentOf = new Map<string, string[]>();
  for (const e of parents) parentOf.set(e.child, [...(parentOf.get(e.child) ?? []), e.parent]);
  const closures = new Map<string, readonly string[]>();
  for (const slug of own.keys()) {
    const perms = new Set<string>();
    const seen = new Set<string>();
    let frontier = [slug];
    for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const r of frontier) {
        if (seen.has(r)) continue; // inheritance cycles are refused on write; stay safe anyway
        seen.add(r);
        for (const p of own.get(r) ?? []) perms.add(p);
        next.push(...(parentOf.get(r) ?? []));
      }
      frontier = next;
    }
    closures.set(slug, [...perms].sort());
  }
  return closures;
}

/** The current role closures: one cheap SQL read when cached, two graph reads when stale. */
export async function roleClosures(graph: Graph): Promise<RoleClosures> {
  const rows =
    await graph.sql`SELECT instance::text || ':' || version::text AS v FROM role_version WHERE id = 1`;
  const version = String(rows[0]?.v ?? "0");
  if (cached?.version === version) return cached.closures;
  const closures = await load(graph);
  cached = { version, closures };
  return closures;
}
