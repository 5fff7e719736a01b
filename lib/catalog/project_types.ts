import { type AttributeUpdate, vertexAttributes } from "../blueprints/node_attributes.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";
import { createOrgVertex, getOrgVertex, updateOrgVertex } from "./org_vertex.ts";

/** A project type as the API shows it; blueprint attributes are extra top-level keys. */
export interface ProjectType {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  description: string;
  deployable: boolean;
  releasable: boolean;
  created_at: string;
  updated_at: string;
  [attribute: string]: unknown;
}

/** Vertex properties and document keys that are not blueprint attributes. */
export const PROJECT_TYPE_CORE: ReadonlySet<string> = new Set([
  "id",
  "org_id",
  "slug",
  "name",
  "description",
  "deployable",
  "releasable",
  "created_at",
  "updated_at",
]);

/** The fields a project type's create or patch may set. */
export type ProjectTypeFields = Pick<
  ProjectType,
  "slug" | "name" | "description" | "deployable" | "releasable"
>;

const WRITABLE = ["slug", "name", "description", "deployable", "releasable"] as const;

/** Maps a ProjectType vertex to the API shape. */
export function toProjectType(v: AgValue | undefined): ProjectType {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    ...vertexAttributes(p, PROJECT_TYPE_CORE),
    id: String(p.id),
    org_id: String(p.org_id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    deployable: p.deployable === true,
    releasable: p.releasable === true,
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

const notFound = (org: OrgRef, slug: string) =>
  new DomainError("NOT_FOUND", `No project type '${slug}' in organization '${org.slug}'.`);
const taken = (org: OrgRef, slug: string) =>
  new DomainError(
    "CONFLICT",
    `A project type with slug '${slug}' already exists in organization '${org.slug}'.`,
  );

/**
 * Creates a project type with its BELONGS_TO edge in one statement; duplicate slug → 409. Keys
 * beyond the core fields are blueprint attributes, validated against the ProjectType blueprints.
 */
export async function createProjectType(
  graph: Graph,
  org: OrgRef,
  input: Pick<ProjectTypeFields, "slug" | "name"> &
    Partial<ProjectTypeFields> & { [attribute: string]: unknown },
): Promise<ProjectType> {
  const fields = {
    slug: input.slug,
    name: input.name,
    description: input.description ?? "",
    deployable: input.deployable ?? false,
    releasable: input.releasable ?? false,
  };
  const v = await createOrgVertex(graph, "ProjectType", org, fields, {
    taken: () => taken(org, input.slug),
    attributes: { input, writable: WRITABLE, core: PROJECT_TYPE_CORE },
  });
  return toProjectType(v);
}

/** Loads a project type of the organization by slug, or throws 404. */
export async function getProjectType(graph: Graph, org: OrgRef, slug: string): Promise<ProjectType> {
  const v = await getOrgVertex(graph, "ProjectType", org, slug);
  if (v === undefined) throw notFound(org, slug);
  return toProjectType(v);
}

/** Project types of the organization by slug after the keyset position (limit + 1 rows). */
export async function listProjectTypes(
  graph: Graph,
  org: OrgRef,
  q: { after: string | null; limit: number },
): Promise<ProjectType[]> {
  const rows = await graph.query(
    `MATCH (t:ProjectType) WHERE t.org_id = $org_id AND ($after IS NULL OR t.slug > $after)
     RETURN t ORDER BY t.slug LIMIT $limit`,
    { org_id: org.id, after: q.after, limit: q.limit + 1 },
  );
  return rows.map((r) => toProjectType(r.v));
}

/**
 * Writes the mutable fields; `ifUnchangedSince` makes a concurrent change a 412, `attributes`
 * re-validates and writes the blueprint attributes (see updateTeam).
 */
export async function updateProjectType(
  graph: Graph,
  org: OrgRef,
  slug: string,
  fields: ProjectTypeFields,
  ifUnchangedSince?: string,
  attributes?: AttributeUpdate,
): Promise<ProjectType> {
  const v = await updateOrgVertex(graph, "ProjectType", org, slug, {
    values: Object.fromEntries(WRITABLE.map((k) => [k, fields[k]])),
    ifUnchangedSince,
    attributes,
    core: PROJECT_TYPE_CORE,
    what: "Project type",
    notFound: () => notFound(org, slug),
    taken: () => taken(org, fields.slug),
  });
  return toProjectType(v);
}

/**
 * Deletes a project type; 409 while any project has it. There is no cascade: removing the type
 * from projects could leave one without any, and a project must keep at least one type.
 */
export async function deleteProjectType(graph: Graph, org: OrgRef, slug: string): Promise<void> {
  const params = { org_id: org.id, slug };
  const row = await graph.one(
    `MATCH (t:ProjectType) WHERE t.org_id = $org_id AND t.slug = $slug
       AND NOT exists((:Project)-[:TYPE]->(t))
     DETACH DELETE t RETURN 1`,
    params,
  );
  if (row) return;
  const typed = await graph.one<{ n: number }>(
    `MATCH (t:ProjectType) WHERE t.org_id = $org_id AND t.slug = $slug
     OPTIONAL MATCH (p:Project)-[:TYPE]->(t) RETURN t.id, count(p)`,
    params,
    ["id", "n"],
  );
  if (!typed) throw notFound(org, slug);
  throw new DomainError(
    "CONFLICT",
    `${typed.n} project(s) still have project type '${slug}'. A project must keep at least one type, ` +
      "so there is no cascade: give those projects another type (or delete them) first.",
  );
}
