import { DomainError } from "../errors.ts";
import { parseAgtype } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import { type ProjectRow, projectRows, prop, SqlParams, table } from "../graph/sql.ts";
import type { OrgRef } from "./org.ts";

/** What a create or a patch writes: the API shape without the server-owned fields. */
export interface ProjectInput {
  slug: string;
  name: string;
  description: string;
  team: string;
  project_types: string[];
  environments: Record<string, Record<string, unknown>>;
  links: Record<string, string>;
  identifiers: Record<string, string>;
  [attribute: string]: unknown;
}

/** A project as the API shows it; blueprint attributes are extra top-level keys. */
export interface Project extends ProjectInput {
  id: string;
  org_id: string;
  archived: boolean;
  /** The stored health score (0..100), null until scored or when no policy applies. */
  score: number | null;
  created_at: string;
  updated_at: string;
}

/** Vertex properties and document keys that are not blueprint attributes. */
export const CORE_KEYS: ReadonlySet<string> = new Set([
  "id",
  "org_id",
  "slug",
  "name",
  "description",
  "team",
  "project_types",
  "environments",
  "links",
  "identifiers",
  "archived",
  "created_at",
  "updated_at",
  "score",
  "previous_score",
  "scored_at",
]);
/** Attribute and edge property names become Cypher text, so they are restricted. */
export const NAME = /^[a-z_][a-z0-9_]*$/;

/** The blueprint attributes of a project document (everything that is not a core key). */
export const attributesOf = (doc: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => !CORE_KEYS.has(k)));

/** Maps rows of {@link projectRows} to the API shape, in order. */
export const toProjects = (rows: ProjectRow[]): Project[] =>
  rows.map((r) => toProject(r.props, r.team, r.types, r.environments));

/** Maps a Project vertex's properties and its edges to the API shape. */
function toProject(
  vertex: Record<string, unknown>,
  team: string,
  types: string[],
  environments: Project["environments"],
): Project {
  const props = { ...vertex };
  return sortKeys({
    ...attributesOf(props),
    id: String(props.id),
    org_id: String(props.org_id),
    slug: String(props.slug),
    name: String(props.name),
    description: String(props.description ?? ""),
    team,
    project_types: types.sort(),
    environments,
    links: (props.links ?? {}) as Record<string, string>,
    identifiers: (props.identifiers ?? {}) as Record<string, string>,
    archived: props.archived === true,
    score: typeof props.score === "number" ? props.score : null,
    created_at: String(props.created_at),
    updated_at: String(props.updated_at),
  }) as Project;
}

/** Deep-sorts object keys so a project's JSON (and so its ETag) does not depend on storage order. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}

/**
 * What a project's ETag is computed over: the document without its score, which the score consumer
 * rewrites in the background — a rescore must not make a client's `If-Match` fail.
 */
export function etagBasis(p: Project): Omit<Project, "score"> {
  const { score: _score, ...rest } = p;
  return rest;
}

export const notFound = (org: OrgRef, id: string) =>
  new DomainError("NOT_FOUND", `No project '${id}' in organization '${org.slug}'.`);

/**
 * Loads a project (by id or slug) with its team, types and environments in one SQL statement (an
 * index lookup), or throws 404.
 */
export async function getProject(graph: Graph, org: OrgRef, ref: string): Promise<Project> {
  const ps = new SqlParams();
  const rows = await projectRows(
    graph,
    `SELECT p.id, p.properties FROM ${table(graph, "Project")} p WHERE ${projectRefCondition("p", ref, org, ps)}`,
    ps,
  );
  // Two rows only for a 21-character lowercase reference that is one project's id and another's slug.
  const projects = toProjects(rows);
  const project = projects.find((p) => p.id === ref) ?? projects[0];
  if (!project) throw notFound(org, ref);
  return project;
}

// A project is addressed by its Nano-ID or by its slug (unique per organization), wherever a path,
// query or body names one. The two alphabets overlap only for a 21-character all-lowercase slug,
// which is looked up both ways, the id winning.

/** A project id: a 21-character Nano-ID. */
export const PROJECT_ID = /^[A-Za-z0-9_-]{21}$/;
/** A project slug (2..63 characters). */
export const PROJECT_SLUG = /^[a-z][a-z0-9-]{1,62}$/;
/** Either of them: what a route accepts where it addresses a project. */
export const PROJECT_REF = /^(?:[A-Za-z0-9_-]{21}|[a-z][a-z0-9-]{1,62})$/;

/**
 * The SQL condition on Project row `alias` matching `ref` in the organization, with its values in
 * `ps`: the id, the slug (both index lookups), or either for a reference shaped like both.
 */
export function projectRefCondition(alias: string, ref: string, org: OrgRef, ps: SqlParams): string {
  const orgCond = `${prop(alias, "org_id")} = ${ps.ag(org.id)}`;
  const isId = PROJECT_ID.test(ref);
  const isSlug = PROJECT_SLUG.test(ref);
  if (isId && !isSlug) return `${prop(alias, "id")} = ${ps.ag(ref)} AND ${orgCond}`;
  if (isSlug && !isId) return `${prop(alias, "slug")} = ${ps.ag(ref)} AND ${orgCond}`;
  const v = ps.ag(ref);
  return `(${prop(alias, "id")} = ${v} OR ${prop(alias, "slug")} = ${v}) AND ${orgCond}`;
}

/**
 * The id of the project `ref` (id or slug) names in the organization, or a 404. A reference that
 * can only be an id is returned as it is — whoever uses it checks it exists, as before slugs were
 * accepted — so addressing by id costs no extra statement.
 */
export async function projectIdOf(graph: Graph, org: OrgRef, ref: string): Promise<string> {
  if (PROJECT_ID.test(ref) && !PROJECT_SLUG.test(ref)) return ref;
  const ps = new SqlParams();
  const rows = (await graph.sql.unsafe(
    `SELECT ${prop("p", "id")} AS id FROM ${table(graph, "Project")} p
     WHERE ${projectRefCondition("p", ref, org, ps)}
     ORDER BY (${prop("p", "id")} = ${ps.ag(ref)}) DESC LIMIT 1`,
    ps.values,
  )) as unknown as { id: string }[];
  const id = parseAgtype(rows[0]?.id ?? null);
  if (typeof id !== "string") throw notFound(org, ref);
  return id;
}

/**
 * Whether the organization has project `projectId`, and its owning team's slug: undefined when it
 * has no such project, `team` null when the project has no team edge. One statement (index lookups),
 * for callers that need the team of a project they address by id — such as a change event's `team`.
 */
export async function projectTeamOf(
  graph: Graph,
  orgId: string,
  projectId: string,
): Promise<{ team: string | null } | undefined> {
  const ps = new SqlParams();
  const rows = (await graph.sql.unsafe(
    `SELECT (SELECT ${prop("t", "slug")} FROM ${table(graph, "OWNED_BY")} o
               JOIN ${table(graph, "Team")} t ON t.id = o.end_id WHERE o.start_id = p.id LIMIT 1) AS team
     FROM ${table(graph, "Project")} p
     WHERE ${prop("p", "id")} = ${ps.ag(projectId)} AND ${prop("p", "org_id")} = ${ps.ag(orgId)}`,
    ps.values,
  )) as unknown as { team: string | null }[];
  const row = rows[0];
  if (!row) return undefined;
  const team = parseAgtype(row.team ?? null);
  return { team: typeof team === "string" ? team : null };
}
