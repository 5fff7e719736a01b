import type { Context } from "hono";
import type { Principal } from "../../lib/auth/principal.ts";
import { type OrgRef, resolveOrg } from "../../lib/catalog/org.ts";
import { etagBasis, type Project, type ProjectInput } from "../../lib/catalog/projects.ts";
import { zodFieldErrors } from "../../lib/errors.ts";
import { etagOf } from "../../lib/etag.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { ApiError } from "../../lib/http/problem.ts";
import { applyJsonPatch, type JsonPatch } from "../../lib/json_patch.ts";
import { recordProjectEvents } from "../../lib/oplog/events.ts";
import { onProjectChange } from "../../lib/scoring/triggers.ts";
import { ProjectWritableSchema } from "./schemas.ts";

/** Document paths a patch may not touch (archived has its own routes). */
export const READ_ONLY = ["id", "org_id", "created_at", "updated_at", "archived", "score"];

/** Resolves `{org}` for a project route. */
export const orgRef = (c: Context<AppEnv>, slug: string): Promise<OrgRef> =>
  resolveOrg(c.get("services").graph, slug);

/** Keeps only the requested fields (id always); `fields` absent → the whole project. */
export function project(p: Project, fields: string | undefined): Partial<Project> {
  if (!fields) return p;
  const keep = new Set(["id", ...fields.split(",")]);
  return Object.fromEntries(Object.entries(p).filter(([k]) => keep.has(k)));
}

/** Sets the ETag of the full project (projections share it) and returns the (projected) body. */
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

/**
 * Applies a JSON Patch to the project document (read-only paths → 400, failed test → 422) and
 * checks the core fields' shapes; blueprint attributes are checked later against the blueprints.
 */
export function patchProject(current: Project, ops: JsonPatch): ProjectInput {
  const next = applyJsonPatch(
    { ...current },
    ops,
    READ_ONLY.map((k) => `/${k}`),
  ) as Record<string, unknown>;
  for (const k of READ_ONLY) delete next[k];
  const parsed = ProjectWritableSchema.safeParse(next);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error, "json");
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: `The patched project is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    });
  }
  return parsed.data as ProjectInput;
}

/**
 * Records the change as events and asks for the project's rescore (both in the background; never
 * fails the response). An update that only touched environments is an `environment_change`.
 */
export function recordChange(
  c: Context<AppEnv>,
  org: OrgRef,
  principal: Principal,
  action: "created" | "updated" | "deleted",
  before: Project | null,
  after: Project | null,
): Promise<void> | void {
  const projectId = (after ?? before)?.id ?? "";
  if (after) {
    const envOnly =
      before !== null &&
      JSON.stringify({ ...before, environments: null, updated_at: null }) ===
        JSON.stringify({ ...after, environments: null, updated_at: null });
    onProjectChange(
      c.get("services"),
      projectId,
      envOnly ? "environment_change" : "project_change",
      principal.email,
    );
  }
  return recordProjectEvents(c.get("services"), {
    org: org.slug,
    projectId,
    action,
    before,
    after,
    principal: principal.email,
  });
}
