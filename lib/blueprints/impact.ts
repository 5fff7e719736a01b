import type { FieldError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { type BlueprintFilter, filterApplies } from "./effective.ts";
import { type JsonObjectSchema, validateAttributes } from "./json_schema.ts";

/** One project that fails a blueprint's schema. */
export interface ImpactFailure {
  id: string;
  org: string;
  slug: string;
  errors: FieldError[];
}

/** A page of an impact scan. */
export interface ImpactReport {
  /** Projects the blueprint applies to that this page checked. */
  total_checked: number;
  failing: ImpactFailure[];
  /** Continue the scan from here; null when every project has been checked. */
  next_cursor: string | null;
}

// Projects read per statement, and per request: bounds the work of one call however large the
// catalog; the caller follows next_cursor for the rest.
const BATCH = 250;
const MAX_SCAN = 2000;

interface ProjectRow {
  p: AgValue;
  org: string | null;
  types: string[];
  envs: string[];
  [k: string]: AgValue;
}

/**
 * Checks existing Project vertices against one blueprint's `schema` (its current one or a proposed
 * one). Only the schema's own properties are read from each project, so attributes other
 * blueprints define are not "unknown" here. Scans by project id after `after`; stops at `limit`
 * failures or {@link MAX_SCAN} projects. `orgIds` null means every organization.
 */
export async function projectImpact(
  graph: Graph,
  filter: BlueprintFilter,
  schema: JsonObjectSchema,
  opts: { orgIds: string[] | null; after: string | null; limit: number },
): Promise<ImpactReport> {
  const failing: ImpactFailure[] = [];
  const keys = Object.keys(schema.properties ?? {});
  let checked = 0;
  let scanned = 0;
  let after = opts.after;
  for (;;) {
    const rows = await graph.query<ProjectRow>(
      `MATCH (p:Project)
       WHERE ($all OR p.org_id IN $orgs) AND ($after IS NULL OR p.id > $after)
       WITH p ORDER BY p.id LIMIT $batch
       OPTIONAL MATCH (p)-[:TYPE]->(t:ProjectType)
       WITH p, collect(t.slug) AS types
       OPTIONAL MATCH (p)-[:DEPLOYED_IN]->(e:Environment)
       WITH p, types, collect(e.slug) AS envs
       OPTIONAL MATCH (o:Organization) WHERE o.id = p.org_id
       RETURN p, o.slug, types, envs ORDER BY p.id`,
      { all: opts.orgIds === null, orgs: opts.orgIds ?? [], after, batch: BATCH },
      ["p", "org", "types", "envs"],
    );
    for (const r of rows) {
      const props = (r.p as unknown as Vertex).properties as Record<string, unknown>;
      after = String(props.id);
      scanned++;
      if (!filterApplies(filter, { projectTypes: r.types, environments: r.envs })) continue;
      checked++;
      const attrs = Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
      const errors = validateAttributes(schema, attrs);
      if (errors.length > 0)
        failing.push({ id: String(props.id), org: r.org ?? "", slug: String(props.slug ?? ""), errors });
      if (failing.length >= opts.limit) break;
    }
    const more = rows.length === BATCH || (failing.length >= opts.limit && rows.length > 0);
    if (failing.length >= opts.limit || scanned >= MAX_SCAN || rows.length < BATCH)
      return { total_checked: checked, failing, next_cursor: more ? after : null };
  }
}

/** The ids of the organizations with these slugs (for scoping a non-administrator's scan). */
export async function orgIdsOf(graph: Graph, slugs: string[]): Promise<string[]> {
  if (slugs.length === 0) return [];
  const rows = await graph.query<{ id: string }>(
    "MATCH (o:Organization) WHERE o.slug IN $slugs RETURN o.id",
    { slugs },
    ["id"],
  );
  return rows.map((r) => r.id);
}
