import { attributeTypes, enabledNodeBlueprints, mergeSchemas } from "../blueprints/effective.ts";
import type { AttributeType } from "../blueprints/json_schema.ts";
import type { Sql } from "../db.ts";
import { DomainError, type FieldError } from "../errors.ts";
import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { AG_FALSE, AG_TRUE, projectRows, prop, SqlParams, table } from "../graph/sql.ts";
import type { OrgRef } from "./org.ts";
import { CORE_KEYS, NAME, type Project, toProjects } from "./projects.ts";

/** The list's filters, shared by the list and the facets. */
export interface ProjectFilters {
  team?: string;
  project_type?: string;
  environment?: string;
  archived: "true" | "false" | "all";
  has_link?: string;
  has_identifier?: string;
  /** `<source>:<id>`: the project's identifier of that source equals the id (see {@link parseIdentifier}). */
  identifier?: string;
  /** `field:op[:value]` expressions over blueprint attributes, ANDed. */
  filter: string[];
}

/** The filters as a door passes them: `filter` once or repeated, `archived` defaulting to "false". */
export type ProjectFilterInput = Partial<Omit<ProjectFilters, "filter">> & {
  filter?: string | readonly string[];
};

/** The {@link ProjectFilters} of a door's input. */
export const projectFiltersOf = ({ filter, archived, ...rest }: ProjectFilterInput): ProjectFilters => ({
  ...rest,
  archived: archived ?? "false",
  filter: filter === undefined ? [] : [filter].flat(),
});

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
  // Health score (lib/scoring): ascending lists what needs attention first. Unscored projects
  // sort as -1, before every score. No index: the organization's projects are sorted.
  score: ["score", "ASC"],
  "-score": ["score", "DESC"],
} as const;
export type ProjectSort = keyof typeof SORTS;
/** The sort orders as a list, for the schemas of every door (route query, MCP tool input). */
export const PROJECT_SORTS = Object.keys(SORTS) as [ProjectSort, ...ProjectSort[]];

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
// Clause templates per op; {x} is the attribute's indexed-expression text, {v} a parameter.
const OP_TEXT: Record<Op, string> = {
  eq: "{x} = {v}",
  ne: "{x} IS NOT NULL AND {x} <> {v}",
  in: "{x} IN ({v})",
  not_in: "{x} IS NOT NULL AND NOT {x} IN ({v})",
  lt: "{x} < {v}",
  lte: "{x} <= {v}",
  gt: "{x} > {v}",
  gte: "{x} >= {v}",
  exists: "{x} IS NOT NULL",
  not_exists: "{x} IS NULL",
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

/**
 * Splits an identifier lookup `<source>:<id>` at its first colon — ids may contain colons
 * (GitLab's `group:42`), source keys may not — or null when either part is empty.
 */
export function parseIdentifier(value: string): { source: string; id: string } | null {
  const at = value.indexOf(":");
  if (at <= 0 || at === value.length - 1) return null;
  return { source: value.slice(0, at), id: value.slice(at + 1) };
}

/** Edge filters and facets: the edge type and target label of each. */
const EDGES = {
  team: ["OWNED_BY", "Team"],
  project_type: ["TYPE", "ProjectType"],
  environment: ["DEPLOYED_IN", "Environment"],
} as const;

/** The list's filters as SQL over the Project label table (alias `p`), for list and facets. */
export interface SqlWhere {
  /** The placeholder holding the organization id (agtype). */
  org: string;
  archived: ProjectFilters["archived"];
  /** Clauses over `p.properties` besides org_id and archived (links, identifiers, attributes). */
  props: string[];
  /** Edge clauses (team, project_type, environment) over the Project graphid column `id`. */
  edges: (id: string) => string[];
}

/**
 * Builds the filters' SQL from the closed set of clause templates; every value is a parameter in
 * `ps` and every name in the text is a validated attribute name. 400 on bad filters.
 */
export function buildWhere(
  graph: Graph,
  org: OrgRef,
  f: ProjectFilters,
  types: Record<string, AttributeType>,
  ps: SqlParams,
): SqlWhere {
  const orgParam = ps.ag(org.id);
  const edgeFilters: [keyof typeof EDGES, string][] = [];
  for (const k of ["team", "project_type", "environment"] as const)
    if (f[k] !== undefined) edgeFilters.push([k, ps.ag(f[k])]);
  const props: string[] = [];
  const errors: FieldError[] = [];
  const nested = (key: "links" | "identifiers", name: string | undefined) => {
    if (name !== undefined) props.push(`${prop("p", key, ps.ag(name))} IS NOT NULL`);
  };
  nested("links", f.has_link);
  nested("identifiers", f.has_identifier);
  if (f.identifier !== undefined) {
    const ident = parseIdentifier(f.identifier);
    // Identifiers are stored as strings, so the id is compared as one ("42" never matches 42).
    if (ident) props.push(`${prop("p", "identifiers", ps.ag(ident.source))} = ${ps.ag(ident.id)}`);
    else
      errors.push({
        location: "query.identifier",
        message: `'${f.identifier}': use <source>:<id> with both parts non-empty, e.g. github:123456`,
      });
  }
  for (const expr of f.filter) {
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
    let v = "";
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
      v = values.map((x) => ps.ag(x)).join(", ");
    }
    props.push(`(${OP_TEXT[o].replaceAll("{x}", prop("p", field)).replaceAll("{v}", v)})`);
  }
  if (errors.length > 0)
    throw new DomainError("BAD_REQUEST", errors.map((e) => e.message).join("; "), errors);
  return {
    org: orgParam,
    archived: f.archived,
    props,
    edges: (id) =>
      edgeFilters.map(([k, v]) => {
        const [edge, label] = EDGES[k];
        // Aliases of their own: the facets' fast path passes `r.start_id` from an outer `r`, which
        // an inner `r` would shadow (the filter would then match every project).
        return `EXISTS (SELECT 1 FROM ${table(graph, edge)} fe JOIN ${table(graph, label)} fx ON fx.id = fe.end_id
          WHERE fe.start_id = ${id} AND ${prop("fx", "slug")} = ${v} AND ${prop("fx", "org_id")} = ${orgParam})`;
      }),
  };
}

/** Every clause of `w` over the Project row `p`, ANDed. */
export function whereText(w: SqlWhere): string {
  const clauses = [`${prop("p", "org_id")} = ${w.org}`];
  // This form (not coalesce) lets the planner estimate it from project_org_archived_ix's statistics;
  // with a guessed selectivity it sorts the whole organization instead of walking a sort index.
  if (w.archived === "false")
    clauses.push(`(${prop("p", "archived")} IS NULL OR ${prop("p", "archived")} = ${AG_FALSE})`);
  if (w.archived === "true") clauses.push(`${prop("p", "archived")} = ${AG_TRUE}`);
  return [...clauses, ...w.props, ...w.edges("p.id")].join(" AND ");
}

/**
 * One list page (limit + 1 rows, for the caller's finishPage) in one SQL statement: the page is cut
 * by walking an `(org_id, <sort key>, id)` index from the keyset position, then only its rows are joined to their team, types and environments.
 */
export async function listProjects(
  graph: Graph,
  org: OrgRef,
  f: ProjectFilters,
  page: { sort: ProjectSort; after: { k: string; i: string } | null; limit: number },
): Promise<Project[]> {
  const ps = new SqlParams();
  const w = buildWhere(graph, org, f, f.filter.length > 0 ? await allAttributeTypes(graph) : {}, ps);
  const [key, dir] = SORTS[page.sort];
  const sortKey = key === "score" ? `COALESCE(${prop("p", key)}, '-1'::ag_catalog.agtype)` : prop("p", key);
  const cols = [prop("p", "org_id"), sortKey, prop("p", "id")];
  let keyset = "";
  if (page.after) {
    // Not a ROW(...) comparison: when the planner truncates one to an index prefix it was seen to
    // use the strict operator (dropping ties); this form puts `key >= k` in the index condition.
    const k = ps.ag(key === "score" ? Number(page.after.k) : page.after.k);
    const i = ps.ag(page.after.i);
    keyset = ` AND ${cols[1]} ${dir === "ASC" ? ">=" : "<="} ${k} AND NOT (${cols[1]} = ${k} AND ${cols[2]} ${dir === "ASC" ? "<=" : ">="} ${i})`;
  }
  // Slugs are unique per organization (project_org_slug_uq), so that index alone orders the page.
  const order = (key === "slug" ? cols.slice(0, 2) : cols).map((c) => `${c} ${dir}`).join(", ");
  const rows = await projectRows(
    graph,
    `SELECT p.id, p.properties, ${cols[1]} AS k, ${cols[2]} AS i FROM ${table(graph, "Project")} p
     WHERE ${whereText(w)}${keyset} ORDER BY ${order} LIMIT ${ps.raw(page.limit + 1)}`,
    ps,
    `s.k ${dir}, s.i ${dir}`,
  );
  return toProjects(rows);
}

/**
 * The organization's projects whose identifier of `source` is `id`, by slug, at most `limit` — what
 * the inbound webhook gateway matches a delivery's external id with (several projects may share
 * one). Archived projects are left out unless `archived` says otherwise. A source containing a
 * colon cannot be looked up (the lookup syntax splits at the first one): 400.
 */
export async function findProjectsByIdentifier(
  graph: Graph,
  org: OrgRef,
  source: string,
  id: string,
  opts: { limit?: number; archived?: ProjectFilters["archived"] } = {},
): Promise<Project[]> {
  if (source.includes(":"))
    throw new DomainError("BAD_REQUEST", `An identifier source cannot contain ':' ('${source}').`, [
      { location: "query.identifier", message: "the source must not contain ':'" },
    ]);
  const limit = opts.limit ?? 100;
  const rows = await listProjects(
    graph,
    org,
    { archived: opts.archived ?? "false", filter: [], identifier: `${source}:${id}` },
    { sort: "slug", after: null, limit },
  );
  return rows.slice(0, limit);
}

/** Facet fields besides blueprint attributes. */
export const FACET_FIELDS = ["team", "project_type", "environment", "archived"] as const;

const unknownFacet = (field: string) =>
  new DomainError("BAD_REQUEST", `Unknown facet field '${field}'.`, [
    { location: "query.field", message: `use ${FACET_FIELDS.join(", ")} or a blueprint attribute` },
  ]);

/** Counts projects per value of one field under the list's filters (one SQL statement). */
export async function projectFacets(
  graph: Graph,
  org: OrgRef,
  f: ProjectFilters,
  field: string,
): Promise<{ value: unknown; count: number }[]> {
  const core = (FACET_FIELDS as readonly string[]).includes(field);
  const types = core && f.filter.length === 0 ? {} : await allAttributeTypes(graph);
  const ps = new SqlParams();
  const w = buildWhere(graph, org, f, types, ps);
  if (!core && !(NAME.test(field) && !CORE_KEYS.has(field) && types[field] !== undefined))
    throw unknownFacet(field);
  const P = table(graph, "Project");
  let text: string;
  if (field === "team" || field === "project_type" || field === "environment") {
    const [edge, label] = EDGES[field];
    const [E, L] = [table(graph, edge), table(graph, label)];
    if (w.props.length === 0) {
      // No property filters: count the edges into the organization's targets, leaving out the
      // archived projects the (org_id, archived) index finds, without reading every project
      // (a project's team, types and environments are always in its own organization).
      const archived = `SELECT 1 FROM ${P} a WHERE a.id = r.start_id AND ${prop("a", "org_id")} = ${w.org}
        AND ${prop("a", "archived")} = ${AG_TRUE}`;
      const clauses = [`r.end_id IN (SELECT x.id FROM ${L} x WHERE ${prop("x", "org_id")} = ${w.org})`];
      if (w.archived === "false") clauses.push(`NOT EXISTS (${archived})`);
      if (w.archived === "true") clauses.push(`EXISTS (${archived})`);
      text = `SELECT ${prop("x", "slug")} AS value, c.n AS count FROM (
        SELECT r.end_id, count(*) AS n FROM ${E} r
        WHERE ${[...clauses, ...w.edges("r.start_id")].join(" AND ")} GROUP BY r.end_id) c
        JOIN ${L} x ON x.id = c.end_id`;
    } else
      text = `SELECT ${prop("x", "slug")} AS value, count(*) AS count FROM ${P} p
        JOIN ${E} r ON r.start_id = p.id JOIN ${L} x ON x.id = r.end_id
        WHERE ${whereText(w)} GROUP BY 1`;
  } else if (field === "archived")
    text = `SELECT coalesce(${prop("p", "archived")}, ${AG_FALSE}) AS value, count(*) AS count FROM ${P} p
      WHERE ${whereText(w)} GROUP BY 1`;
  else
    text = `SELECT ${prop("p", field)} AS value, count(*) AS count FROM ${P} p
      WHERE ${whereText(w)} AND ${prop("p", field)} IS NOT NULL GROUP BY 1`;
  const rows = (await graph.sql.unsafe(text, ps.values)) as unknown as { value: string; count: string }[];
  return rows
    .map((r) => ({ value: parseAgtype(r.value) as unknown, count: Number(r.count) }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

/** One ranked search hit. */
export interface SearchHit {
  kind: "project" | "team" | "project_type";
  id: string;
  slug: string;
  name: string;
  rank: number;
  highlights: Record<string, string>;
}

const HL = "StartSel=<mark>, StopSel=</mark>, HighlightAll=true";
const SKIP_KEYS = "'id','org_id','slug','name','description','created_at','updated_at'";

/** Whether pg_trgm's similarity() is installed, per client (checked once; the extension is optional). */
const trigramCache = new WeakMap<object, Promise<boolean>>();
function hasTrigram(sql: Sql): Promise<boolean> {
  let v = trigramCache.get(sql);
  if (!v) {
    v = sql`SELECT to_regprocedure('similarity(text,text)') IS NOT NULL AS ok`.then((r) => r[0]?.ok === true);
    trigramCache.set(sql, v);
  }
  return v;
}

/**
 * Full-text (prefix `simple` tsquery, weighted name/slug > description > string attributes) plus
 * trigram similarity on name and slug, over the AGE label tables in SQL, scoped to the org. Without
 * pg_trgm (an optional extension) it is full text only. The document vector is built once per row,
 * and only matching rows are ranked and highlighted.
 */
export async function searchCatalog(
  sql: Sql,
  graphName: string,
  org: OrgRef,
  q: { q: string; limit: number; includeArchived: boolean },
  opts: { trigram?: boolean } = {},
): Promise<SearchHit[]> {
  if (!NAME.test(graphName)) throw new Error(`invalid graph name ${graphName}`);
  const trigram = opts.trigram ?? (await hasTrigram(sql));
  const tokens = (q.q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 16);
  const tsq = tokens.map((t) => `${t}:*`).join(" & ");
  const orgOf = (t: string) =>
    `SELECT '${t}'::text AS kind, properties::text::jsonb AS j FROM "${graphName}"."${t}"
     WHERE ag_catalog.agtype_access_operator(VARIADIC ARRAY[properties, '"org_id"'::ag_catalog.agtype]) = $1::ag_catalog.agtype`;
  // $2 (the raw query text) is only used by the trigram terms; "$2::text IS NOT NULL" keeps it typed.
  const sim = trigram ? "greatest(similarity(name, $2), similarity(slug, $2))" : "0";
  const near = trigram ? "similarity(name, $2) > 0.3 OR similarity(slug, $2) > 0.3" : "$2::text IS NULL";
  const rows = await sql.unsafe(
    `WITH docs AS (${orgOf("Project")} UNION ALL ${orgOf("Team")} UNION ALL ${orgOf("ProjectType")}),
     fields AS (
       SELECT kind, j->>'id' AS id, coalesce(j->>'slug', '') AS slug, coalesce(j->>'name', '') AS name,
         coalesce(j->>'description', '') AS description,
         coalesce((SELECT string_agg(x.value, ' ') FROM jsonb_each_text(j) x
           WHERE jsonb_typeof(j->x.key) = 'string' AND x.key NOT IN (${SKIP_KEYS})), '') AS attrs
       FROM docs WHERE $4::boolean OR kind <> 'Project' OR coalesce(j->>'archived', 'false') <> 'true'
     ),
     vectors AS (
       SELECT f.*, setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', slug), 'A')
         || setweight(to_tsvector('simple', description), 'B') || setweight(to_tsvector('simple', attrs), 'C') AS doc
       FROM fields f
     ),
     top AS (
       SELECT v.kind, v.id, v.slug, v.name, v.description, v.attrs, query, ts_rank(v.doc, query) + ${sim} AS rank
       FROM vectors v, to_tsquery('simple', $3) query
       WHERE v.doc @@ query OR ${near}
       ORDER BY rank DESC, slug, id LIMIT $5
     )
     SELECT kind, id, slug, name, rank::float8 AS rank,
       ts_headline('simple', name, query, '${HL}') AS h_name,
       ts_headline('simple', description, query, '${HL}') AS h_description,
       ts_headline('simple', attrs, query, 'StartSel=<mark>, StopSel=</mark>') AS h_attributes
     FROM top ORDER BY rank DESC, slug, id`,
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
      rank: Number(r.rank),
      highlights,
    };
  });
}
