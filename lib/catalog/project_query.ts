import { attributeTypes, enabledNodeBlueprints, mergeSchemas } from "../blueprints/effective.ts";
import type { AttributeType } from "../blueprints/json_schema.ts";
import type { Sql } from "../db.ts";
import { DomainError, type FieldError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";
import {
  CORE_KEYS,
  NAME,
  PROJECT_COLUMNS,
  PROJECT_RETURN,
  PROJECT_TAIL,
  type Project,
  toProjects,
} from "./projects.ts";

/** The list's filters, shared by the list and the facets. */
export interface ProjectFilters {
  team?: string;
  project_type?: string;
  environment?: string;
  archived: "true" | "false" | "all";
  has_link?: string;
  has_identifier?: string;
  /** `field:op[:value]` expressions over blueprint attributes, ANDed. */
  filter: string[];
}

/** Sort orders of the list: a closed set mapped to property names (never user text in Cypher). */
export const SORTS = {
  slug: ["slug", "ASC"],
  "-slug": ["slug", "DESC"],
  name: ["name", "ASC"],
  "-name": ["name", "DESC"],
  created_at: ["created_at", "ASC"],
  "-created_at": ["created_at", "DESC"],
  updated_at: ["updated_at", "ASC"],
  "-updated_at": ["updated_at", "DESC"],
} as const;
export type ProjectSort = keyof typeof SORTS;

export const FILTER_OPS = [
  "eq",
  "ne",
  "in",
  "not_in",
  "lt",
  "lte",
  "gt",
  "gte",
  "exists",
  "not_exists",
] as const;
type Op = (typeof FILTER_OPS)[number];
// Clause templates per op; {f} is a validated attribute name, {v} the $parameter.
const OP_TEXT: Record<Op, string> = {
  eq: "p.{f} = {v}",
  ne: "p.{f} IS NOT NULL AND p.{f} <> {v}",
  in: "p.{f} IN {v}",
  not_in: "p.{f} IS NOT NULL AND NOT p.{f} IN {v}",
  lt: "p.{f} < {v}",
  lte: "p.{f} <= {v}",
  gt: "p.{f} > {v}",
  gte: "p.{f} >= {v}",
  exists: "p.{f} IS NOT NULL",
  not_exists: "p.{f} IS NULL",
};

/** Attribute names and types across every enabled Project blueprint (filters span all types). */
export async function allAttributeTypes(graph: Graph): Promise<Record<string, AttributeType>> {
  return attributeTypes(mergeSchemas(await enabledNodeBlueprints(graph, "Project")));
}

function coerce(raw: string, type: AttributeType): unknown {
  if (type === "string") return raw;
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  if (type === "integer" && /^-?\d{1,15}$/.test(raw)) return Number(raw);
  if (type === "number" && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

/** Builds the WHERE text for `p` and its parameters from the closed set of clause templates. */
export function buildWhere(
  org: OrgRef,
  f: ProjectFilters,
  types: Record<string, AttributeType>,
): { where: string; params: Record<string, unknown> } {
  const clauses = ["p.org_id = $org_id"];
  const params: Record<string, unknown> = { org_id: org.id };
  if (f.archived === "false") clauses.push("(p.archived IS NULL OR p.archived = false)");
  if (f.archived === "true") clauses.push("p.archived = true");
  const edge = (k: "team" | "project_type" | "environment", text: string) => {
    if (f[k] === undefined) return;
    params[k] = f[k];
    clauses.push(text);
  };
  edge("team", "exists((p)-[:OWNED_BY]->(:Team {slug: $team}))");
  edge("project_type", "exists((p)-[:TYPE]->(:ProjectType {slug: $project_type}))");
  edge("environment", "exists((p)-[:DEPLOYED_IN]->(:Environment {slug: $environment}))");
  if (f.has_link !== undefined) {
    params.has_link = f.has_link;
    clauses.push("p.links[$has_link] IS NOT NULL");
  }
  if (f.has_identifier !== undefined) {
    params.has_identifier = f.has_identifier;
    clauses.push("p.identifiers[$has_identifier] IS NOT NULL");
  }
  const errors: FieldError[] = [];
  for (const [i, expr] of f.filter.entries()) {
    const [field = "", op = "", ...rest] = expr.split(":");
    const raw = rest.length > 0 ? rest.join(":") : undefined;
    const bad = (message: string) => {
      errors.push({ location: "query.filter", message: `'${expr}': ${message}` });
    };
    const type = types[field];
    if (!NAME.test(field) || CORE_KEYS.has(field) || type === undefined) {
      bad(`unknown attribute '${field}'`);
      continue;
    }
    if (!(FILTER_OPS as readonly string[]).includes(op)) {
      bad(`unknown operator '${op}' (use ${FILTER_OPS.join(", ")})`);
      continue;
    }
    const o = op as Op;
    const v = `f${i}`;
    if (o !== "exists" && o !== "not_exists") {
      if (raw === undefined) {
        bad(`operator '${o}' needs a value`);
        continue;
      }
      if (type === "array" || type === "object") {
        bad(`attribute '${field}' (${type}) supports only exists/not_exists`);
        continue;
      }
      const values = (o === "in" || o === "not_in" ? raw.split("|") : [raw]).map((x) => coerce(x, type));
      if (values.some((x) => x === undefined)) {
        bad(`value '${raw}' is not a valid ${type}`);
        continue;
      }
      params[v] = o === "in" || o === "not_in" ? values : values[0];
    }
    clauses.push(`(${OP_TEXT[o].replaceAll("{f}", field).replaceAll("{v}", `$${v}`)})`);
  }
  if (errors.length > 0)
    throw new DomainError("BAD_REQUEST", errors.map((e) => e.message).join("; "), errors);
  return { where: clauses.join(" AND "), params };
}

/** One list page (limit + 1 rows, for the caller's finishPage) in one statement. */
export async function listProjects(
  graph: Graph,
  org: OrgRef,
  f: ProjectFilters,
  page: { sort: ProjectSort; after: { k: string; i: string } | null; limit: number },
): Promise<Project[]> {
  const { where, params } = buildWhere(org, f, f.filter.length > 0 ? await allAttributeTypes(graph) : {});
  const [key, dir] = SORTS[page.sort];
  const cmp = dir === "ASC" ? ">" : "<";
  let keyset = "";
  if (page.after) {
    Object.assign(params, { ck: page.after.k, ci: page.after.i });
    // No OR here: with it, the planner's BitmapOr over the (org_id, slug) index dropped the id test.
    keyset = ` AND p.${key} ${cmp}= $ck AND NOT (p.${key} = $ck AND p.id ${dir === "ASC" ? "<=" : ">="} $ci)`;
  }
  params.limit = page.limit + 1;
  const order = `p.${key} ${dir}, p.id ${dir}`;
  const rows = await graph.query(
    `MATCH (p:Project) WHERE ${where}${keyset}
     WITH p ORDER BY ${order} LIMIT $limit
     ${PROJECT_TAIL}
     RETURN ${PROJECT_RETURN} ORDER BY ${order}`,
    params,
    PROJECT_COLUMNS,
  );
  return toProjects(rows);
}

/** Facet fields besides blueprint attributes. */
export const FACET_FIELDS = ["team", "project_type", "environment", "archived"] as const;

/** Counts projects per value of one field under the list's filters (one statement). */
export async function projectFacets(
  graph: Graph,
  org: OrgRef,
  f: ProjectFilters,
  field: string,
): Promise<{ value: unknown; count: number }[]> {
  const types = await allAttributeTypes(graph);
  const { where, params } = buildWhere(org, f, types);
  let text: string;
  if (field === "team") text = `MATCH (p)-[:OWNED_BY]->(x:Team) RETURN x.slug, count(p)`;
  else if (field === "project_type") text = `MATCH (p)-[:TYPE]->(x:ProjectType) RETURN x.slug, count(p)`;
  else if (field === "environment")
    text = `MATCH (p)-[:DEPLOYED_IN]->(x:Environment) RETURN x.slug, count(p)`;
  else if (field === "archived") text = "RETURN coalesce(p.archived, false), count(p)";
  else if (NAME.test(field) && !CORE_KEYS.has(field) && types[field] !== undefined)
    text = `WITH p WHERE p.${field} IS NOT NULL RETURN p.${field}, count(p)`;
  else
    throw new DomainError("BAD_REQUEST", `Unknown facet field '${field}'.`, [
      { location: "query.field", message: `use ${FACET_FIELDS.join(", ")} or a blueprint attribute` },
    ]);
  const rows = await graph.query(`MATCH (p:Project) WHERE ${where} ${text}`, params, ["value", "count"]);
  return rows
    .map((r) => ({ value: r.value, count: Number(r.count) }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

/** One ranked search hit. */
export interface SearchHit {
  kind: "project" | "team" | "project_type";
  id: string;
  slug: string;
  name: string;
  score: number;
  highlights: Record<string, string>;
}

const HL = "StartSel=<mark>, StopSel=</mark>, HighlightAll=true";
const SKIP_KEYS = "'id','org_id','slug','name','description','created_at','updated_at'";

/**
 * Full-text (prefix `simple` tsquery, weighted name/slug > description > string attributes) plus
 * trigram similarity on name and slug, over the AGE label tables in SQL, scoped to the org.
 */
export async function searchCatalog(
  sql: Sql,
  graphName: string,
  org: OrgRef,
  q: { q: string; limit: number; includeArchived: boolean },
): Promise<SearchHit[]> {
  if (!NAME.test(graphName)) throw new Error(`invalid graph name ${graphName}`);
  const tokens = (q.q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 16);
  const tsq = tokens.map((t) => `${t}:*`).join(" & ");
  const orgOf = (t: string) =>
    `SELECT '${t}'::text AS kind, properties::text::jsonb AS j FROM "${graphName}"."${t}"
     WHERE ag_catalog.agtype_access_operator(VARIADIC ARRAY[properties, '"org_id"'::ag_catalog.agtype]) = $1::ag_catalog.agtype`;
  const rows = await sql.unsafe(
    `WITH docs AS (${orgOf("Project")} UNION ALL ${orgOf("Team")} UNION ALL ${orgOf("ProjectType")}),
     fields AS (
       SELECT kind, j->>'id' AS id, coalesce(j->>'slug', '') AS slug, coalesce(j->>'name', '') AS name,
         coalesce(j->>'description', '') AS description,
         coalesce((SELECT string_agg(x.value, ' ') FROM jsonb_each_text(j) x
           WHERE jsonb_typeof(j->x.key) = 'string' AND x.key NOT IN (${SKIP_KEYS})), '') AS attrs
       FROM docs WHERE $4::boolean OR kind <> 'Project' OR coalesce(j->>'archived', 'false') <> 'true'
     ),
     scored AS (
       SELECT f.*, query,
         ts_rank(setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', slug), 'A')
           || setweight(to_tsvector('simple', description), 'B') || setweight(to_tsvector('simple', attrs), 'C'), query)
           + greatest(similarity(name, $2), similarity(slug, $2)) AS score,
         (to_tsvector('simple', name || ' ' || slug || ' ' || description || ' ' || attrs) @@ query) AS hit
       FROM fields f, to_tsquery('simple', $3) query
     ),
     top AS (
       SELECT * FROM scored WHERE hit OR similarity(name, $2) > 0.3 OR similarity(slug, $2) > 0.3
       ORDER BY score DESC, slug, id LIMIT $5
     )
     SELECT kind, id, slug, name, score::float8 AS score,
       ts_headline('simple', name, query, '${HL}') AS h_name,
       ts_headline('simple', description, query, '${HL}') AS h_description,
       ts_headline('simple', attrs, query, 'StartSel=<mark>, StopSel=</mark>') AS h_attributes
     FROM top ORDER BY score DESC, slug, id`,
    [JSON.stringify(org.id), q.q, tsq, q.includeArchived, q.limit],
  );
  const kinds = { Project: "project", Team: "team", ProjectType: "project_type" } as const;
  return rows.map((r) => {
    const highlights: Record<string, string> = {};
    for (const k of ["name", "description", "attributes"])
      if (String(r[`h_${k}`] ?? "").includes("<mark>")) highlights[k] = String(r[`h_${k}`]);
    return {
      kind: kinds[r.kind as keyof typeof kinds],
      id: String(r.id),
      slug: String(r.slug),
      name: String(r.name),
      score: Number(r.score),
      highlights,
    };
  });
}
