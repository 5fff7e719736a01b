// Profiles the projects read paths (get, list, facets, search) on the full benchmark fixture
// (10,000 projects / 30,000 dependencies) in an embedded PGlite + AGE, library layer only.
//   npx tsx scripts/profile_projects.ts [--runs=50] [--explain] [--small]
import { performance } from "node:perf_hooks";
import { FULL, generateFixture } from "../bench/fixture.ts";
import { createBlueprint } from "../lib/blueprints/blueprints.ts";
import type { OrgRef } from "../lib/catalog/org.ts";
import {
  listProjects,
  type ProjectFilters,
  projectFacets,
  searchCatalog,
} from "../lib/catalog/project_query.ts";
import { getProject } from "../lib/catalog/projects.ts";
import { startTestDatabase } from "../test/harness/pglite.ts";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k = "", v = "true"] = a.replace(/^--/, "").split("=");
    return [k, v] as const;
  }),
);
const RUNS = Number(args.get("runs") ?? 50);
const size = args.has("small") ? { ...FULL, projects: 2_000, dependencies: 6_000 } : FULL;

const db = await startTestDatabase();
const t0 = performance.now();
const fx = await generateFixture(db.graph, "bench", size);
// The fixture writes tier/language attributes; a blueprint makes them filterable/facetable.
await createBlueprint(db.graph, {
  kind: "node",
  type: "Project",
  source: null,
  edge: null,
  target: null,
  enabled: true,
  description: "",
  slug: "bench-basics",
  name: "Bench basics",
  priority: 0,
  filter: { project_types: [], environments: [] },
  schema: {
    type: "object",
    properties: { tier: { type: "integer", minimum: 1, maximum: 4 }, language: { type: "string" } },
  },
});
await db.sql.unsafe("ANALYZE");
console.log(
  `fixture: ${size.projects} projects / ${size.dependencies} deps in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const org: OrgRef = { id: fx.orgId, slug: fx.org } as OrgRef;
const base: ProjectFilters = { archived: "false", filter: [] };

async function time(name: string, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await fn(i); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn(i);
    ts.push(performance.now() - s);
  }
  ts.sort((a, b) => a - b);
  const q = (p: number) => (ts[Math.min(ts.length - 1, Math.floor(p * ts.length))] as number).toFixed(2);
  console.log(`${name.padEnd(44)} p50 ${q(0.5).padStart(8)} ms   p95 ${q(0.95).padStart(8)} ms`);
}

const page = { sort: "slug" as const, after: null, limit: 50 };
const pick = (i: number) => fx.projectIds[(i * 7919) % fx.projectIds.length] as string;
// Sanity: results have the expected shape.
const first = await listProjects(db.graph, org, base, page);
console.log(`list page rows: ${first.length}, first: ${first[0]?.slug} team=${first[0]?.team}`);
const last = first[first.length - 2];

await time("getProject", (i) => getProject(db.graph, org, pick(i)));
await time("listProjects default (slug)", () => listProjects(db.graph, org, base, page));
await time("listProjects slug, 2nd page (cursor)", () =>
  listProjects(db.graph, org, base, { ...page, after: { k: String(last?.slug), i: String(last?.id) } }),
);
await time("listProjects sort=-updated_at", () =>
  listProjects(db.graph, org, base, { ...page, sort: "-updated_at" }),
);
await time("listProjects team=team-3", () => listProjects(db.graph, org, { ...base, team: "team-3" }, page));
await time("listProjects project_type=type-2", () =>
  listProjects(db.graph, org, { ...base, project_type: "type-2" }, page),
);
await time("listProjects filter=tier:lte:2", () =>
  listProjects(db.graph, org, { ...base, filter: ["tier:lte:2"] }, page),
);
for (const field of ["team", "project_type", "environment", "tier"])
  await time(`projectFacets ${field}`, () => projectFacets(db.graph, org, base, field));
await time("projectFacets team, filter project_type", () =>
  projectFacets(db.graph, org, { ...base, project_type: "type-2" }, "team"),
);
await time("searchCatalog q=payments", () =>
  searchCatalog(db.sql, db.graph.graphName, org, { q: "payments", limit: 20, includeArchived: false }),
);
await time("searchCatalog q=service 42", () =>
  searchCatalog(db.sql, db.graph.graphName, org, { q: "service 42", limit: 20, includeArchived: false }),
);

if (args.has("explain")) {
  // EXPLAIN ANALYZE of the SQL AGE generates for representative Cypher (same shape as the library).
  const explain = async (label: string, text: string, params: Record<string, unknown>, cols: string[]) => {
    const c = cols.map((x) => `"${x}" ag_catalog.agtype`).join(", ");
    const rows = await db.sql.unsafe(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM ag_catalog.cypher('${db.graph.graphName}', $$ ${text} $$, $1) AS (${c})`,
      [JSON.stringify(params)],
    );
    console.log(`\n--- ${label}\n${rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
  };
  await explain(
    "list: ORDER BY slug LIMIT 51 on Project alone",
    "MATCH (p:Project) WHERE p.org_id = $org_id AND (p.archived IS NULL OR p.archived = false) WITH p ORDER BY p.slug, p.id LIMIT 51 RETURN p",
    { org_id: fx.orgId },
    ["p"],
  );
  await explain(
    "facet team",
    "MATCH (p:Project) WHERE p.org_id = $org_id AND (p.archived IS NULL OR p.archived = false) MATCH (p)-[:OWNED_BY]->(x:Team) RETURN x.slug, count(p)",
    { org_id: fx.orgId },
    ["v", "c"],
  );
  await explain(
    "get",
    "MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org_id OPTIONAL MATCH (p)-[:OWNED_BY]->(t:Team) RETURN p, t.slug",
    { org_id: fx.orgId, id: pick(1) },
    ["p", "t"],
  );
}

await db.stop();
