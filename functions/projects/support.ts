import type { Context } from "hono";
import { etagBasis, type Project } from "../../lib/catalog/projects.ts";
import { etagOf } from "../../lib/etag.ts";
import type { AppEnv } from "../../lib/http/app.ts";

// What the project routes do on the wire and nowhere else: the ETag header and the `fields`
// projection. Everything else a project operation does is its verb's (lib/catalog/project_verbs.ts).

/** Keeps only the requested fields (id always); `fields` absent → the whole project. */
export function project(p: Project, fields: string | undefined): Partial<Project> {
  if (!fields) return p;
  const keep = new Set(["id", ...fields.split(",")]);
  return Object.fromEntries(Object.entries(p).filter(([k]) => keep.has(k)));
}

/**
 * Sets the ETag of the full project without its score (projections share it; a background rescore
 * must not break an If-Match) and returns the (projected) body.
 */
export async function withProjectEtag(c: Context<AppEnv>, p: Project): Promise<Project>;
export async function withProjectEtag(
  c: Context<AppEnv>,
  p: Project,
  fields: string | undefined,
): Promise<Partial<Project>>;
export async function withProjectEtag(c: Context<AppEnv>, p: Project, fields?: string) {
  c.header("ETag", await etagOf(etagBasis(p)));
  return project(p, fields);
}
