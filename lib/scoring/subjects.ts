// Loads what the engine scores, in bulk: projects (with team, types, environments, links and
// attributes), their one-hop DEPENDS_ON neighbours, the attribute names their blueprints define,
// and the organizations' levels. Set-based SQL over AGE's label tables (an index lookup per id),
// so a batch of any size costs a handful of statements.
import { enabledNodeBlueprints, filterApplies, mergeSchemas } from "../blueprints/effective.ts";
import { attributesOf } from "../catalog/projects.ts";
import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { projectRows, prop, SqlParams, table } from "../graph/sql.ts";
import type { ScoreLevel, ScoringSubject } from "./engine.ts";

/** A project as loaded for scoring: the engine's subject plus what the consumer compares and records. */
export interface LoadedProject {
  subject: ScoringSubject;
  orgId: string;
  /** The stored score (null when never scored or no policy applies). */
  score: number | null;
  /** The stored score before the last change. */
  previousScore: number | null;
  /** When the consumer last stored a change (null when never). */
  scoredAt: string | null;
}

/** Core fields a policy may name as `attribute_name` besides blueprint attributes. */
export const CORE_ATTRIBUTES = [
  "name",
  "slug",
  "description",
  "team",
  "created_at",
  "updated_at",
  "archived",
];

/** Loads projects by id (unknown ids are left out); chunked so one statement stays small. */
export async function loadProjects(
  graph: Graph,
  projectIds: readonly string[],
): Promise<Map<string, LoadedProject>> {
  const out = new Map<string, LoadedProject>();
  for (let i = 0; i < projectIds.length; i += 2_000) {
    const ps = new SqlParams();
    const rows = await projectRows(
      graph,
      `SELECT p.id, p.properties FROM ${table(graph, "Project")} p
       WHERE ${prop("p", "id")} = ANY(${ps.agList(projectIds.slice(i, i + 2_000))})`,
      ps,
    );
    const deployed = await latestDeploymentStatuses(
      graph,
      rows.map((r) => String(r.props.id)),
    );
    for (const r of rows) {
      const p = r.props;
      const id = String(p.id);
      const core = {
        name: String(p.name),
        slug: String(p.slug),
        description: String(p.description ?? ""),
        team: r.team,
        created_at: String(p.created_at),
        updated_at: String(p.updated_at),
        archived: p.archived === true,
      };
      out.set(id, {
        orgId: String(p.org_id),
        score: typeof p.score === "number" ? p.score : null,
        previousScore: typeof p.previous_score === "number" ? p.previous_score : null,
        scoredAt: typeof p.scored_at === "string" ? p.scored_at : null,
        subject: {
          id,
          slug: core.slug,
          name: core.name,
          team: r.team,
          project_types: [...r.types].sort(),
          links: (p.links ?? {}) as Record<string, string>,
          environments: r.environments,
          deployments: deployed.get(id) ?? {},
          attributes: { ...attributesOf(p), ...core },
        },
      });
    }
  }
  return out;
}

/** `source DEPENDS_ON target` pairs touching any of the projects, by project id. */
export async function dependencyPairs(
  graph: Graph,
  projectIds: readonly string[],
): Promise<{ source: string; target: string }[]> {
  const out: { source: string; target: string }[] = [];
  const t = (l: "Project" | "DEPENDS_ON") => table(graph, l);
  for (let i = 0; i < projectIds.length; i += 2_000) {
    const ps = new SqlParams();
    const rows = (await graph.sql.unsafe(
      // Two index lookups (start_id, end_id) joined by UNION: with `start_id IN s OR end_id IN s` the
      // planner scans every DEPENDS_ON row (bench/scoring.ts: 15–25 ms → 3–4 ms for 16 projects).
      `WITH s AS (SELECT p.id FROM ${t("Project")} p WHERE ${prop("p", "id")} = ANY(${ps.agList(projectIds.slice(i, i + 2_000))})),
       e AS (SELECT d.start_id, d.end_id FROM ${t("DEPENDS_ON")} d WHERE d.start_id IN (SELECT id FROM s)
             UNION
             SELECT d.start_id, d.end_id FROM ${t("DEPENDS_ON")} d WHERE d.end_id IN (SELECT id FROM s))
       SELECT ${prop("a", "id")} AS source, ${prop("b", "id")} AS target
       FROM e JOIN ${t("Project")} a ON a.id = e.start_id JOIN ${t("Project")} b ON b.id = e.end_id`,
      ps.values,
    )) as unknown as { source: string; target: string }[];
    for (const r of rows)
      out.push({ source: String(parseAgtype(r.source)), target: String(parseAgtype(r.target)) });
  }
  return out;
}

/**
 * The attribute names each project may be scored on: its effective Project blueprint's properties
 * plus the core fields. One read of the blueprints; the merge is cached per (types, environments).
 */
export async function knownAttributes(
  graph: Graph,
  subjects: Iterable<ScoringSubject>,
): Promise<Map<string, ReadonlySet<string>>> {
  const blueprints = await enabledNodeBlueprints(graph, "Project");
  const byScope = new Map<string, ReadonlySet<string>>();
  const out = new Map<string, ReadonlySet<string>>();
  for (const s of subjects) {
    const environments = Object.keys(s.environments).sort();
    const key = JSON.stringify([s.project_types, environments]);
    let names = byScope.get(key);
    if (!names) {
      const scope = { type: "Project" as const, projectTypes: s.project_types, environments };
      const schema = mergeSchemas(blueprints.filter((b) => filterApplies(b.filter, scope)));
      names = new Set([...CORE_ATTRIBUTES, ...Object.keys(schema.properties ?? {})]);
      byScope.set(key, names);
    }
    out.set(s.id, names);
  }
  return out;
}

/** The score levels of organizations (by id), as stored on their vertices. */
export async function levelsOf(graph: Graph, orgIds: readonly string[]): Promise<Map<string, ScoreLevel[]>> {
  if (orgIds.length === 0) return new Map();
  const rows = await graph.query<{ id: string; levels: string | null }>(
    "MATCH (o:Organization) WHERE o.id IN $ids RETURN o.id, o.score_levels_json",
    { ids: [...new Set(orgIds)] },
    ["id", "levels"],
  );
  return new Map(rows.map((r) => [r.id, r.levels ? (JSON.parse(r.levels) as ScoreLevel[]) : []]));
}

/**
 * The status of each project's latest deployment per environment (by when it started), as
 * environment slug → status: what `deployment_status` policies score. One statement over the
 * deployments table (schema/sql/0008_releases.sql), joined to the Environment label table for the
 * slugs (a deployment keeps the environment's id; its slug may have changed since).
 */
export async function latestDeploymentStatuses(
  graph: Graph,
  projectIds: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  if (projectIds.length === 0) return out;
  const ps = new SqlParams();
  const rows = (await graph.sql.unsafe(
    `SELECT d.project_id, ${prop("e", "slug")} AS slug, d.status
     FROM (SELECT DISTINCT ON (project_id, environment_id) project_id, environment_id, status
           FROM deployments
           WHERE project_id IN (SELECT jsonb_array_elements_text(${ps.raw(JSON.stringify(projectIds))}::text::jsonb))
           ORDER BY project_id, environment_id, created_at DESC, id DESC) d
     JOIN ${table(graph, "Environment")} e ON ${prop("e", "id")} = to_jsonb(d.environment_id)::text::ag_catalog.agtype`,
    ps.values,
  )) as unknown as { project_id: string; slug: string | null; status: string }[];
  for (const r of rows) {
    const slug = parseAgtype(r.slug);
    if (typeof slug !== "string") continue;
    const statuses = out.get(r.project_id) ?? {};
    statuses[slug] = r.status;
    out.set(r.project_id, statuses);
  }
  return out;
}
