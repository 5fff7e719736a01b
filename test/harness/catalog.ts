import { createBlueprint } from "../../lib/blueprints/blueprints.ts";
import type { TestApp } from "./app.ts";

/** Seeds an organization with teams, project types, environments and link definitions via Cypher. */
export async function seedCatalog(
  app: TestApp,
  org: string,
  opts: { teams?: string[]; types?: string[]; envs?: string[]; links?: string[] } = {},
): Promise<string> {
  await app.org(org);
  const g = app.db.graph;
  const row = await g.one<{ id: string }>("MATCH (o:Organization {slug: $org}) RETURN o.id", { org }, ["id"]);
  const orgId = String(row?.id);
  const now = new Date().toISOString();
  const labels = [
    ["Team", opts.teams ?? ["core", "payments"]],
    ["ProjectType", opts.types ?? ["api", "worker"]],
    ["Environment", opts.envs ?? ["staging", "production"]],
    ["LinkDefinition", opts.links ?? ["github", "docs"]],
  ] as const;
  for (const [label, slugs] of labels)
    for (const slug of slugs)
      await g.query(
        `MATCH (o:Organization) WHERE o.id = $org_id
         CREATE (x:${label} {id: $id, org_id: $org_id, slug: $slug, name: $name, description: '', created_at: $now, updated_at: $now})-[:BELONGS_TO]->(o)
         RETURN x.id`,
        { org_id: orgId, id: `${label}-${org}-${slug}`.slice(0, 64), slug, name: `${slug} ${label}`, now },
      );
  return orgId;
}

/** Creates the test blueprints: tier/language for every project, on_call only for api projects. */
export async function seedBlueprints(app: TestApp): Promise<void> {
  const base = {
    kind: "node",
    type: "Project",
    source: null,
    edge: null,
    target: null,
    enabled: true,
    description: "",
  } as const;
  await createBlueprint(app.db.graph, {
    ...base,
    slug: "service-basics",
    name: "Service basics",
    priority: 0,
    filter: { project_types: [], environments: [] },
    schema: {
      type: "object",
      properties: {
        tier: { type: "integer", minimum: 1, maximum: 4, default: 3 },
        language: { type: "string", enum: ["python", "typescript", "go"] },
        pci: { type: "boolean" },
        score_hint: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
        notes: { type: "string" },
      },
    },
  });
  await createBlueprint(app.db.graph, {
    ...base,
    slug: "api-extras",
    name: "API extras",
    priority: 10,
    filter: { project_types: ["api"], environments: [] },
    schema: { type: "object", properties: { on_call: { type: "string" } }, required: ["on_call"] },
  });
}

/** A valid create body, overridable. */
export const body = (over: Record<string, unknown> = {}) => ({
  name: "Payments API",
  slug: "payments-api",
  team: "payments",
  project_types: ["worker"],
  ...over,
});
