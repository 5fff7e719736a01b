import { type AttributeUpdate, vertexAttributes } from "../blueprints/node_attributes.ts";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import type { Graph } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";
import { createOrgVertex, getOrgVertex, updateOrgVertex } from "./org_vertex.ts";

/** An environment as the API shows it; blueprint attributes are extra top-level keys. */
export interface Environment {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  description: string;
  sort_order: number;
  label_color: string | null;
  can_deploy: boolean;
  can_promote: boolean;
  created_at: string;
  updated_at: string;
  [attribute: string]: unknown;
}

/** Vertex properties and document keys that are not blueprint attributes. */
export const ENVIRONMENT_CORE: ReadonlySet<string> = new Set([
  "id",
  "org_id",
  "slug",
  "name",
  "description",
  "sort_order",
  "label_color",
  "can_deploy",
  "can_promote",
  "created_at",
  "updated_at",
]);

/** The fields an environment's create or patch may set. */
export type EnvironmentFields = Pick<
  Environment,
  "slug" | "name" | "description" | "sort_order" | "label_color" | "can_deploy" | "can_promote"
>;

const WRITABLE = [
  "slug",
  "name",
  "description",
  "sort_order",
  "label_color",
  "can_deploy",
  "can_promote",
] as const;

/** Maps an Environment vertex to the API shape. */
export function toEnvironment(v: AgValue | undefined): Environment {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    ...vertexAttributes(p, ENVIRONMENT_CORE),
    id: String(p.id),
    org_id: String(p.org_id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    sort_order: Number(p.sort_order ?? 0),
    label_color: typeof p.label_color === "string" ? p.label_color : null,
    can_deploy: p.can_deploy === true,
    can_promote: p.can_promote === true,
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

const notFound = (org: OrgRef, slug: string) =>
  new DomainError("NOT_FOUND", `No environment '${slug}' in organization '${org.slug}'.`);
const taken = (org: OrgRef, slug: string) =>
  new DomainError(
    "CONFLICT",
    `An environment with slug '${slug}' already exists in organization '${org.slug}'.`,
  );

/**
 * Creates an environment with its BELONGS_TO edge in one statement; duplicate slug → 409. Keys
 * beyond the core fields are blueprint attributes, validated against the Environment blueprints.
 */
export async function createEnvironment(
  graph: Graph,
  org: OrgRef,
  input: Pick<EnvironmentFields, "slug" | "name"> &
    Partial<EnvironmentFields> & { [attribute: string]: unknown },
): Promise<Environment> {
  const fields = {
    slug: input.slug,
    name: input.name,
    description: input.description ?? "",
    sort_order: input.sort_order ?? 0,
    label_color: input.label_color ?? null,
    can_deploy: input.can_deploy ?? false,
    can_promote: input.can_promote ?? false,
  };
  const v = await createOrgVertex(graph, "Environment", org, fields, {
    taken: () => taken(org, input.slug),
    attributes: { input, writable: WRITABLE, core: ENVIRONMENT_CORE },
  });
  return toEnvironment(v);
}

/** Loads an environment of the organization by slug, or throws 404. */
export async function getEnvironment(graph: Graph, org: OrgRef, slug: string): Promise<Environment> {
  const v = await getOrgVertex(graph, "Environment", org, slug);
  if (v === undefined) throw notFound(org, slug);
  return toEnvironment(v);
}

/** Environments by (sort_order, slug) after the keyset position (limit + 1 rows). */
export async function listEnvironments(
  graph: Graph,
  org: OrgRef,
  q: { after: { sort_order: number; slug: string } | null; limit: number },
): Promise<Environment[]> {
  const rows = await graph.query(
    `MATCH (e:Environment) WHERE e.org_id = $org_id
       AND ($after_order IS NULL OR e.sort_order > $after_order
            OR (e.sort_order = $after_order AND e.slug > $after_slug))
     RETURN e ORDER BY e.sort_order, e.slug LIMIT $limit`,
    {
      org_id: org.id,
      after_order: q.after?.sort_order ?? null,
      after_slug: q.after?.slug ?? null,
      limit: q.limit + 1,
    },
  );
  return rows.map((r) => toEnvironment(r.v));
}

/**
 * Writes the mutable fields; `ifUnchangedSince` makes a concurrent change a 412, `attributes`
 * re-validates and writes the blueprint attributes (see updateTeam).
 */
export async function updateEnvironment(
  graph: Graph,
  org: OrgRef,
  slug: string,
  fields: EnvironmentFields,
  ifUnchangedSince?: string,
  attributes?: AttributeUpdate,
): Promise<Environment> {
  const v = await updateOrgVertex(graph, "Environment", org, slug, {
    values: Object.fromEntries(WRITABLE.map((k) => [k, fields[k]])),
    ifUnchangedSince,
    attributes,
    core: ENVIRONMENT_CORE,
    what: "Environment",
    notFound: () => notFound(org, slug),
    taken: () => taken(org, fields.slug),
  });
  return toEnvironment(v);
}

/**
 * Deletes an environment. While projects are DEPLOYED_IN it: 409, or with `cascade` those
 * deployment edges are removed with it (the projects stay). One statement, so it is atomic.
 */
export async function deleteEnvironment(
  graph: Graph,
  org: OrgRef,
  slug: string,
  opts: { cascade: boolean },
): Promise<{ deployments_removed: number }> {
  const row = await graph.one<{ n: number; deleted: number }>(
    `MATCH (e:Environment) WHERE e.org_id = $org_id AND e.slug = $slug
     OPTIONAL MATCH (p:Project)-[d:DEPLOYED_IN]->(e)
     WITH e, count(d) AS n
     WHERE $cascade OR n = 0
     DETACH DELETE e
     RETURN n, 1`,
    { org_id: org.id, slug, cascade: opts.cascade },
    ["n", "deleted"],
  );
  if (row) return { deployments_removed: Number(row.n) };
  const deployed = await graph.one<{ n: number }>(
    `MATCH (e:Environment) WHERE e.org_id = $org_id AND e.slug = $slug
     OPTIONAL MATCH (p:Project)-[d:DEPLOYED_IN]->(e) RETURN e.id, count(d)`,
    { org_id: org.id, slug },
    ["id", "n"],
  );
  if (!deployed) throw notFound(org, slug);
  throw new DomainError(
    "CONFLICT",
    `${deployed.n} project(s) are still deployed in environment '${slug}'; remove those deployments, ` +
      "or delete with ?cascade=true to remove them with the environment (the projects are kept).",
  );
}
