import { nanoid } from "nanoid";
import {
  type AttributeUpdate,
  attributesOf,
  attributeWrites,
  checkNodeAttributes,
} from "../blueprints/node_attributes.ts";
import { DomainError } from "../errors.ts";
import type { AgValue } from "../graph/agtype.ts";
import { type Graph, nextUpdatedAt, propsMap, setClause, UniqueViolation } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";

/** The org-scoped labels created through this helper (from the schema allow-list). */
export type OrgScopedLabel = "Team" | "Environment" | "ProjectType" | "LinkDefinition";

/** The blueprint attributes of a create: the request body's keys beyond its writable core fields. */
export interface CreateAttributes {
  input: Record<string, unknown>;
  /** The body's core field names (everything else is an attribute). */
  writable: readonly string[];
  /** The label's core keys: never attributes. */
  core: ReadonlySet<string>;
}

/**
 * Creates an org-scoped vertex and its BELONGS_TO edge in one statement, with a new id, `org_id`,
 * both timestamps and `fields` (fixed names from our code, checked by propsMap). With `attributes`,
 * the body's extra keys are validated against the label's blueprints (defaults applied) and stored
 * too. A duplicate slug in the organization → `taken()` (the unique (org_id, slug) index decides
 * concurrent creates).
 */
export async function createOrgVertex(
  graph: Graph,
  label: OrgScopedLabel,
  org: OrgRef,
  fields: Record<string, unknown> & { slug: string },
  opts: { taken: () => DomainError; attributes?: CreateAttributes },
): Promise<AgValue | undefined> {
  const a = opts.attributes;
  const attrs =
    a && label !== "LinkDefinition"
      ? await checkNodeAttributes(graph, label, attributesOf(a.input, new Set(a.writable)), a.core)
      : {};
  const now = new Date().toISOString();
  const props = { ...attrs, id: nanoid(), org_id: org.id, ...fields, created_at: now, updated_at: now };
  const taken = opts.taken;
  try {
    const row = await graph.one(
      `MATCH (o:Organization) WHERE o.id = $org_id
       CREATE (v:${label} ${propsMap(Object.keys(props))})-[:BELONGS_TO]->(o) RETURN v`,
      props,
    );
    if (!row) throw new DomainError("NOT_FOUND", `No organization with slug '${org.slug}'.`);
    return row.v;
  } catch (e) {
    if (e instanceof UniqueViolation) throw taken();
    throw e;
  }
}

/** Loads an org-scoped vertex by slug; undefined when the organization has none. */
export async function getOrgVertex(
  graph: Graph,
  label: OrgScopedLabel,
  org: OrgRef,
  slug: string,
): Promise<AgValue | undefined> {
  const row = await graph.one(`MATCH (v:${label}) WHERE v.org_id = $org_id AND v.slug = $slug RETURN v`, {
    org_id: org.id,
    slug,
  });
  return row?.v;
}

/** What {@link updateOrgVertex} writes and how it names failures. */
export interface OrgVertexUpdate {
  /** The mutable core fields, keyed by property name (fixed names from our code). */
  values: Record<string, unknown>;
  /** With a timestamp, a concurrent change (updated_at moved) is a 412. */
  ifUnchangedSince?: string;
  /** Blueprint attributes of a patch, re-validated against the label's blueprints. */
  attributes?: AttributeUpdate;
  /** The label's core keys: never attributes. */
  core: ReadonlySet<string>;
  /** Human name for messages, e.g. "Project type". */
  what: string;
  notFound: () => DomainError;
  taken: () => DomainError;
}

/**
 * Writes an org-scoped vertex's mutable fields and blueprint attributes in one statement, guarded
 * by `updated_at` when `ifUnchangedSince` is given; 404, 409 (slug taken) and 412 as documented.
 */
export async function updateOrgVertex(
  graph: Graph,
  label: Exclude<OrgScopedLabel, "LinkDefinition">,
  org: OrgRef,
  slug: string,
  u: OrgVertexUpdate,
): Promise<AgValue> {
  const keys = [...Object.keys(u.values), "updated_at"];
  const params: Record<string, unknown> = {
    ...u.values,
    org_id: org.id,
    current_slug: slug,
    guard: u.ifUnchangedSince ?? null,
    updated_at: nextUpdatedAt(u.ifUnchangedSince),
  };
  const attrs = u.attributes
    ? attributeWrites(
        "v",
        await checkNodeAttributes(graph, label, u.attributes.values, u.core),
        u.attributes.previous,
        params,
      )
    : { set: [], remove: "" };
  try {
    const row = await graph.one(
      `MATCH (v:${label}) WHERE v.org_id = $org_id AND v.slug = $current_slug
         AND ($guard IS NULL OR v.updated_at = $guard)
       SET ${[setClause("v", keys), ...attrs.set].join(", ")}
       ${attrs.remove}
       RETURN v`,
      params,
    );
    if (row) return row.v ?? null;
  } catch (e) {
    if (e instanceof UniqueViolation) throw u.taken();
    throw e;
  }
  if (u.ifUnchangedSince)
    throw new DomainError("PRECONDITION_FAILED", `${u.what} '${slug}' changed meanwhile; fetch it again.`);
  throw u.notFound();
}
