import { nanoid } from "nanoid";
import type { Graph } from "../../lib/graph/graph.ts";

/** Creates an environment vertex in `org` (catalog model: org_id + BELONGS_TO). */
export async function seedEnvironment(graph: Graph, org: string, slug: string): Promise<void> {
  await graph.query(
    `MATCH (o:Organization {slug: $org})
     CREATE (e:Environment {id: $id, org_id: o.id, slug: $slug, name: $slug, description: '',
       sort_order: 0, label_color: '', can_deploy: true, can_promote: true,
       created_at: $now, updated_at: $now})-[:BELONGS_TO]->(o)
     RETURN e.id`,
    { org, id: nanoid(), slug, now: new Date().toISOString() },
  );
}

/** Creates a project vertex in `org` and returns its id. */
export async function seedProject(graph: Graph, org: string, slug: string): Promise<string> {
  const id = nanoid();
  await graph.query(
    `MATCH (o:Organization {slug: $org})
     CREATE (p:Project {id: $id, org_id: o.id, slug: $slug, name: $slug, description: '',
       archived: false, created_at: $now, updated_at: $now})-[:BELONGS_TO]->(o)
     RETURN p.id`,
    { org, id, slug, now: new Date().toISOString() },
  );
  return id;
}
