import { nanoid } from "nanoid";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { type Graph, propsMap, setClause, UniqueViolation } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";

/** A project type as the API shows it. */
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
}

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

/** Creates a project type with its BELONGS_TO edge in one statement; duplicate slug → 409. */
export async function createProjectType(
  graph: Graph,
  org: OrgRef,
  input: Pick<ProjectTypeFields, "slug" | "name"> & Partial<ProjectTypeFields>,
): Promise<ProjectType> {
  const now = new Date().toISOString();
  const props = {
    id: nanoid(),
    org_id: org.id,
    slug: input.slug,
    name: input.name,
    description: input.description ?? "",
    deployable: input.deployable ?? false,
    releasable: input.releasable ?? false,
    created_at: now,
    updated_at: now,
  };
  try {
    const row = await graph.one(
      `MATCH (o:Organization) WHERE o.id = $org_id
       CREATE (t:ProjectType ${propsMap(Object.keys(props))})-[:BELONGS_TO]->(o) RETURN t`,
      props,
    );
    if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${org.slug}'.`);
    return toProjectType(row.v);
  } catch (e) {
    if (e instanceof UniqueViolation) throw taken(org, input.slug);
    throw e;
  }
}

/** Loads a project type of the organization by slug, or throws 404. */
export async function getProjectType(graph: Graph, org: OrgRef, slug: string): Promise<ProjectType> {
  const row = await graph.one("MATCH (t:ProjectType) WHERE t.org_id = $org_id AND t.slug = $slug RETURN t", {
    org_id: org.id,
    slug,
  });
  if (!row) throw notFound(org, slug);
  return toProjectType(row.v);
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

/** Writes the mutable fields; `ifUnchangedSince` makes a concurrent change a 412 (see updateTeam). */
export async function updateProjectType(
  graph: Graph,
  org: OrgRef,
  slug: string,
  fields: ProjectTypeFields,
  ifUnchangedSince?: string,
): Promise<ProjectType> {
  const values = Object.fromEntries(WRITABLE.map((k) => [k, fields[k]]));
  try {
    const row = await graph.one(
      `MATCH (t:ProjectType) WHERE t.org_id = $org_id AND t.slug = $current_slug
         AND ($guard IS NULL OR t.updated_at = $guard)
       SET ${setClause("t", [...WRITABLE, "updated_at"])}
       RETURN t`,
      {
        ...values,
        org_id: org.id,
        current_slug: slug,
        guard: ifUnchangedSince ?? null,
        updated_at: new Date().toISOString(),
      },
    );
    if (row) return toProjectType(row.v);
    if (ifUnchangedSince)
      throw new DomainError(
        "PRECONDITION_FAILED",
        `Project type '${slug}' changed meanwhile; fetch it again.`,
      );
    throw notFound(org, slug);
  } catch (e) {
    if (e instanceof UniqueViolation) throw taken(org, fields.slug);
    throw e;
  }
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
