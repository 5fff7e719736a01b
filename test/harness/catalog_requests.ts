import { nanoid } from "nanoid";
import type { TestApp } from "./app.ts";

/** Shared pieces of the catalog integration tests. */

/** Sends a JSON Patch as `application/json-patch+json` (admin token unless given). */
export const patchAs = (
  app: TestApp,
  path: string,
  ops: unknown,
  opts: { token?: string; headers?: Record<string, string> } = {},
) =>
  app.request(path, {
    method: "PATCH",
    headers: {
      "Content-Type": "application/json-patch+json",
      Authorization: `Bearer ${opts.token ?? app.adminToken}`,
      ...opts.headers,
    },
    body: JSON.stringify(ops),
  });

/** How many vertices the whole graph holds (to prove an operation deleted nothing else). */
export const countVertices = async (app: TestApp) =>
  Number((await app.db.graph.one("MATCH (n) RETURN count(n)"))?.v ?? 0);

/**
 * Creates a Project vertex the way docs/catalog-model.md describes it (org_id, BELONGS_TO,
 * OWNED_BY a team, TYPE and DEPLOYED_IN edges), directly in Cypher: the projects API is not
 * needed to exercise the catalog's refusals and cascades. Returns the project id.
 */
export async function seedProject(
  app: TestApp,
  org: string,
  p: {
    slug: string;
    team: string;
    types?: string[];
    environments?: string[];
    links?: Record<string, string>;
  },
): Promise<string> {
  const id = nanoid();
  const now = new Date().toISOString();
  const g = app.db.graph;
  const params = { org, id, slug: p.slug, team: p.team, links: p.links ?? {}, now };
  const made = await g.one(
    `MATCH (o:Organization {slug: $org}) MATCH (t:Team) WHERE t.org_id = o.id AND t.slug = $team
     CREATE (p:Project {id: $id, org_id: o.id, slug: $slug, name: $slug, description: '', archived: false,
       links: $links, identifiers: {}, created_at: $now, updated_at: $now})
     CREATE (p)-[:BELONGS_TO]->(o) CREATE (p)-[:OWNED_BY]->(t) RETURN p.id`,
    params,
  );
  if (!made) throw new Error(`seedProject: no team ${p.team} in ${org}`);
  for (const type of p.types ?? [])
    await g.query(
      `MATCH (p:Project {id: $id}), (t:ProjectType) WHERE t.org_id = p.org_id AND t.slug = $type
       CREATE (p)-[:TYPE]->(t) RETURN 1`,
      { id, type },
    );
  for (const env of p.environments ?? [])
    await g.query(
      `MATCH (p:Project {id: $id}), (e:Environment) WHERE e.org_id = p.org_id AND e.slug = $env
       CREATE (p)-[:DEPLOYED_IN {url: 'https://example.com'}]->(e) RETURN 1`,
      { id, env },
    );
  return id;
}
