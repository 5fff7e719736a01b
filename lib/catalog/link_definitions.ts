import { z } from "zod";
import { DomainError } from "../errors.ts";
import type { AgValue, Vertex } from "../graph/agtype.ts";
import { type Graph, setClause, UniqueViolation } from "../graph/graph.ts";
import type { OrgRef } from "./org.ts";
import { createOrgVertex, getOrgVertex } from "./org_vertex.ts";

/** A link definition as the API shows it: the keys of a project's `links`. */
export interface LinkDefinition {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  description: string;
  url_template: string;
  created_at: string;
  updated_at: string;
}

/** The fields a link definition's create or patch may set. */
export type LinkDefinitionFields = Pick<LinkDefinition, "slug" | "name" | "description" | "url_template">;

const WRITABLE = ["slug", "name", "description", "url_template"] as const;

// Placeholders a URL template may use: project properties every project has, and identifiers.
const PLACEHOLDER = /\{([^{}]*)\}/g;
const FIXED_PLACEHOLDERS = new Set(["slug", "name", "id", "org"]);
const IDENTIFIER_PLACEHOLDER = /^identifiers\.[A-Za-z0-9_-]+$/;

/**
 * Checks a URL template such as `https://github.com/acme/{slug}`: placeholders come from the
 * closed set `{slug}`, `{name}`, `{id}`, `{org}`, `{identifiers.<key>}`, and with each replaced by
 * `x` the result must be an absolute http(s) URL. Returns what is wrong, or null.
 */
export function urlTemplateProblem(template: string): string | null {
  const unknown: string[] = [];
  const filled = template.replace(PLACEHOLDER, (_, key: string) => {
    if (!FIXED_PLACEHOLDERS.has(key) && !IDENTIFIER_PLACEHOLDER.test(key)) unknown.push(`{${key}}`);
    return "x";
  });
  if (unknown.length > 0)
    return `Unknown placeholder(s) ${unknown.join(", ")}; use {slug}, {name}, {id}, {org} or {identifiers.<key>}.`;
  if (/[{}]/.test(filled)) return "Unbalanced { or }; placeholders look like {slug}.";
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return "Not an absolute URL once placeholders are filled in; e.g. https://github.com/acme/{slug}.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http and https URLs are allowed.";
  return null;
}

// The shape of a URL template as a pattern: an absolute http(s) URL whose host (letters, digits,
// hyphens, dots; the last label starting with a letter, so it is never read as an IP number) and
// path may hold the known placeholders. urlTemplateProblem() then names what is wrong in words.
const PLACEHOLDER_TEXT = String.raw`\{(?:slug|name|id|org|identifiers\.[A-Za-z0-9_-]+)\}`;
const PORT = `(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?`;
const URL_TEMPLATE = new RegExp(
  String.raw`^https?://(?:(?:[A-Za-z0-9-]|${PLACEHOLDER_TEXT})+\.)*(?:[A-Za-z]|${PLACEHOLDER_TEXT})(?:[A-Za-z0-9-]|${PLACEHOLDER_TEXT})*` +
    String.raw`${PORT}(?:[/?#](?:[^\s{}]|${PLACEHOLDER_TEXT})*)?$`,
);

/** A URL template as creates and patches accept it: the documented pattern, then its rules in words. */
export const UrlTemplate = z
  .string()
  .min(1)
  .max(2048)
  .regex(
    URL_TEMPLATE,
    "must be an absolute http(s) URL; placeholders {slug}, {name}, {id}, {org}, {identifiers.<key>}",
  )
  .superRefine((v, ctx) => {
    const problem = urlTemplateProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Maps a LinkDefinition vertex to the API shape. */
export function toLinkDefinition(v: AgValue | undefined): LinkDefinition {
  const p = (v as unknown as Vertex).properties as Record<string, unknown>;
  return {
    id: String(p.id),
    org_id: String(p.org_id),
    slug: String(p.slug),
    name: String(p.name),
    description: String(p.description ?? ""),
    url_template: String(p.url_template),
    created_at: String(p.created_at),
    updated_at: String(p.updated_at),
  };
}

const notFound = (org: OrgRef, slug: string) =>
  new DomainError("NOT_FOUND", `No link definition '${slug}' in organization '${org.slug}'.`);
const taken = (org: OrgRef, slug: string) =>
  new DomainError(
    "CONFLICT",
    `A link definition with slug '${slug}' already exists in organization '${org.slug}'.`,
  );
const inUse = (slug: string, n: number, what: string) =>
  new DomainError(
    "CONFLICT",
    `${n} project(s) have a '${slug}' link, keyed by this link definition's slug, so it cannot be ${what}; ` +
      "remove those links from the projects first.",
  );

// Projects of the organization holding a link under the definition's (current) slug.
const USAGE = "OPTIONAL MATCH (p:Project) WHERE p.org_id = $org_id AND p.links[$current_slug] IS NOT NULL";

/** Creates a link definition with its BELONGS_TO edge in one statement; duplicate slug → 409. */
export async function createLinkDefinition(
  graph: Graph,
  org: OrgRef,
  input: Omit<LinkDefinitionFields, "description"> & { description?: string },
): Promise<LinkDefinition> {
  const fields = {
    slug: input.slug,
    name: input.name,
    description: input.description ?? "",
    url_template: input.url_template,
  };
  return toLinkDefinition(
    await createOrgVertex(graph, "LinkDefinition", org, fields, { taken: () => taken(org, input.slug) }),
  );
}

/** Loads a link definition of the organization by slug, or throws 404. */
export async function getLinkDefinition(graph: Graph, org: OrgRef, slug: string): Promise<LinkDefinition> {
  const v = await getOrgVertex(graph, "LinkDefinition", org, slug);
  if (v === undefined) throw notFound(org, slug);
  return toLinkDefinition(v);
}

/** Link definitions of the organization by slug after the keyset position (limit + 1 rows). */
export async function listLinkDefinitions(
  graph: Graph,
  org: OrgRef,
  q: { after: string | null; limit: number },
): Promise<LinkDefinition[]> {
  const rows = await graph.query(
    `MATCH (l:LinkDefinition) WHERE l.org_id = $org_id AND ($after IS NULL OR l.slug > $after)
     RETURN l ORDER BY l.slug LIMIT $limit`,
    { org_id: org.id, after: q.after, limit: q.limit + 1 },
  );
  return rows.map((r) => toLinkDefinition(r.v));
}

/**
 * Writes the mutable fields; `ifUnchangedSince` makes a concurrent change a 412 (see updateTeam).
 * A slug change is refused (409) while projects have links under the old slug.
 */
export async function updateLinkDefinition(
  graph: Graph,
  org: OrgRef,
  slug: string,
  fields: LinkDefinitionFields,
  ifUnchangedSince?: string,
): Promise<LinkDefinition> {
  const values = Object.fromEntries(WRITABLE.map((k) => [k, fields[k]]));
  const params = { org_id: org.id, current_slug: slug };
  try {
    const row = await graph.one(
      `MATCH (l:LinkDefinition) WHERE l.org_id = $org_id AND l.slug = $current_slug
         AND ($guard IS NULL OR l.updated_at = $guard)
       ${USAGE} AND $slug <> $current_slug
       WITH l, count(p) AS used WHERE used = 0
       SET ${setClause("l", [...WRITABLE, "updated_at"])}
       RETURN l`,
      { ...values, ...params, guard: ifUnchangedSince ?? null, updated_at: new Date().toISOString() },
    );
    if (row) return toLinkDefinition(row.v);
  } catch (e) {
    if (e instanceof UniqueViolation) throw taken(org, fields.slug);
    throw e;
  }
  const used = await usage(graph, params);
  if (!used) throw notFound(org, slug);
  if (used.n > 0 && fields.slug !== slug) throw inUse(slug, used.n, "renamed");
  throw new DomainError(
    "PRECONDITION_FAILED",
    `Link definition '${slug}' changed meanwhile; fetch it again.`,
  );
}

async function usage(graph: Graph, params: { org_id: string; current_slug: string }) {
  return graph.one<{ n: number }>(
    `MATCH (l:LinkDefinition) WHERE l.org_id = $org_id AND l.slug = $current_slug
     ${USAGE} RETURN l.id, count(p)`,
    params,
    ["id", "n"],
  );
}

/**
 * Deletes a link definition; refused (409) while any project of the organization has a link under
 * its slug, rather than silently dropping those links.
 */
export async function deleteLinkDefinition(graph: Graph, org: OrgRef, slug: string): Promise<void> {
  const params = { org_id: org.id, current_slug: slug };
  const row = await graph.one(
    `MATCH (l:LinkDefinition) WHERE l.org_id = $org_id AND l.slug = $current_slug
     ${USAGE}
     WITH l, count(p) AS used WHERE used = 0
     DETACH DELETE l RETURN 1`,
    params,
  );
  if (row) return;
  const used = await usage(graph, params);
  if (!used) throw notFound(org, slug);
  throw inUse(slug, Number(used.n), "deleted");
}
