// The benchmark fixture (catalog issue): 10,000 projects, ~30,000 dependencies, 20 teams, 10 project
// types, 5 environments in one organization, bulk-written with UNWIND batches that follow
// docs/catalog-model.md exactly, and 3 Project blueprints ({@link generateBlueprints}, written
// separately because blueprints are global, not per organization). Deterministic: the same seed
// gives the same graph.
import { nanoid } from "nanoid";
import { type Blueprint, createBlueprint } from "../lib/blueprints/blueprints.ts";
import type { Graph } from "../lib/graph/graph.ts";
import { createOrganization } from "../lib/identity/organizations.ts";

/** Sizes of the generated catalog. */
export interface FixtureSize {
  projects: number;
  dependencies: number;
  teams: number;
  types: number;
  environments: number;
}

export const FULL: FixtureSize = {
  projects: 10_000,
  dependencies: 30_000,
  teams: 20,
  types: 10,
  environments: 5,
};

/** A small deterministic PRNG (mulberry32), so runs compare like with like. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BATCH = 500;
export const LANGS = ["typescript", "python", "go", "java", "rust"];

/** What the generator wrote, for the benchmarks to pick targets from. */
export interface Fixture {
  org: string;
  orgId: string;
  projectIds: string[];
  teams: string[];
  types: string[];
  environments: string[];
  seconds: number;
}

/** Writes the fixture into `graph` under a new organization `org`. */
export async function generateFixture(
  graph: Graph,
  org = "bench",
  size: FixtureSize = FULL,
  seed = 42,
): Promise<Fixture> {
  const t0 = performance.now();
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const { id: orgId } = await createOrganization(graph, { slug: org, name: "Benchmark" });
  const now = new Date().toISOString();
  const teams = Array.from({ length: size.teams }, (_, i) => `team-${i}`);
  const types = Array.from({ length: size.types }, (_, i) => `type-${i}`);
  const environments = Array.from({ length: size.environments }, (_, i) => `env-${i}`);
  for (const [label, slugs] of [
    ["Team", teams],
    ["ProjectType", types],
    ["Environment", environments],
  ] as const) {
    // Labels come from this constant list, never from input.
    await graph.query(
      `MATCH (o:Organization {id: $org})
       UNWIND $rows AS r
       CREATE (x:${label} {id: r.id, org_id: $org, slug: r.slug, name: r.slug, description: '', created_at: $now, updated_at: $now})-[:BELONGS_TO]->(o)
       RETURN count(x)`,
      { org: orgId, now, rows: slugs.map((slug, i) => ({ id: nanoid(), slug, sort_order: i })) },
    );
  }
  const projectIds: string[] = [];
  for (let start = 0; start < size.projects; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(size.projects, start + BATCH); i++) {
      const id = nanoid();
      projectIds.push(id);
      rows.push({
        id,
        slug: `service-${i}`,
        name: `Service ${i}`,
        description: `Benchmark service number ${i} handling ${pick(["orders", "payments", "search", "users", "media"])}`,
        team: pick(teams),
        type: pick(types),
        env: pick(environments),
        archived: random() < 0.05,
        tier: 1 + Math.floor(random() * 4),
        language: pick(LANGS),
      });
    }
    await graph.query(
      `MATCH (o:Organization {id: $org})
       UNWIND $rows AS r
       MATCH (t:Team {org_id: $org, slug: r.team}), (ty:ProjectType {org_id: $org, slug: r.type}), (e:Environment {org_id: $org, slug: r.env})
       CREATE (o)<-[:BELONGS_TO]-(p:Project {id: r.id, org_id: $org, slug: r.slug, name: r.name, description: r.description,
                          archived: r.archived, links: {}, identifiers: {}, tier: r.tier, language: r.language,
                          created_at: $now, updated_at: $now})-[:OWNED_BY]->(t),
              (p)-[:TYPE]->(ty),
              (p)-[:DEPLOYED_IN {url: 'https://' + r.slug + '.example.com'}]->(e)
       RETURN count(p)`,
      { org: orgId, now, rows },
    );
  }
  // Mostly "later depends on earlier" (a layered DAG like real systems), no self-edges, no repeats.
  const seen = new Set<string>();
  const edges: { a: string; b: string }[] = [];
  while (edges.length < size.dependencies) {
    const i = 1 + Math.floor(random() * (projectIds.length - 1));
    const j = Math.floor(random() * i);
    const key = `${i}:${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ a: projectIds[i] as string, b: projectIds[j] as string });
  }
  // Edges go straight into AGE's edge table: a Cypher UNWIND … MATCH (a {id: r.a}) cannot use the
  // property index and costs ~5 ms per edge, this join on the expression index ~0.05 ms.
  const g = graph.graphName;
  const idOf = (alias: string) =>
    `ag_catalog.agtype_access_operator(VARIADIC ARRAY[${alias}.properties, '"id"'::ag_catalog.agtype])`;
  for (let start = 0; start < edges.length; start += BATCH * 4) {
    await graph.sql.unsafe(
      `INSERT INTO "${g}"."DEPENDS_ON" (start_id, end_id, properties)
       SELECT a.id, b.id, ag_catalog.agtype_build_map('created_at', $2::text)
       FROM jsonb_to_recordset($1::text::jsonb) AS r(a text, b text)
       JOIN "${g}"."Project" a ON ${idOf("a")} = to_jsonb(r.a)::text::ag_catalog.agtype
       JOIN "${g}"."Project" b ON ${idOf("b")} = to_jsonb(r.b)::text::ag_catalog.agtype`,
      [JSON.stringify(edges.slice(start, start + BATCH * 4)), now],
    );
  }
  // Fresh statistics, as `imbi migrate` and the embedded host's periodic ANALYZE would provide.
  await graph.sql`ANALYZE`;
  return { org, orgId, projectIds, teams, types, environments, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The fixture's three Project blueprints, each filtered to different project types so effective
 * schemas differ by type: "service" (tier + language) for the first half of the types, "library"
 * (language + tier, narrower tiers allowed) for the second half, and "operations" (an on-call
 * flag, default false) for a few types across both halves. Every project's tier and language
 * written by {@link generateFixture} is valid under the blueprints of its type.
 */
export async function generateBlueprints(
  graph: Graph,
  fixture: Pick<Fixture, "types">,
): Promise<Blueprint[]> {
  const half = Math.ceil(fixture.types.length / 2);
  const base = {
    kind: "node",
    type: "Project",
    source: null,
    edge: null,
    target: null,
    enabled: true,
  } as const;
  const language = { type: "string", enum: LANGS, description: "Main implementation language" };
  const tier = { type: "integer", minimum: 1, maximum: 4, description: "Criticality, 1 = highest" };
  return [
    await createBlueprint(graph, {
      ...base,
      slug: "bench-service",
      name: "Benchmark service",
      description: "Tier and language of service projects",
      priority: 0,
      filter: { project_types: fixture.types.slice(0, half), environments: [] },
      schema: { type: "object", properties: { tier, language }, required: ["tier"] },
    }),
    await createBlueprint(graph, {
      ...base,
      slug: "bench-library",
      name: "Benchmark library",
      description: "Language and tier of library projects",
      priority: 0,
      filter: { project_types: fixture.types.slice(half), environments: [] },
      schema: { type: "object", properties: { language, tier }, required: ["language"] },
    }),
    await createBlueprint(graph, {
      ...base,
      slug: "bench-operations",
      name: "Benchmark operations",
      description: "On-call flag for the types that page someone",
      priority: 10,
      filter: { project_types: fixture.types.filter((_, i) => i % 3 === 0), environments: [] },
      schema: {
        type: "object",
        properties: {
          on_call: { type: "boolean", default: false, description: "Pages an on-call rotation" },
        },
      },
    }),
  ];
}
