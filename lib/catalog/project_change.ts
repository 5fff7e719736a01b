import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { DomainError, zodFieldErrors } from "../errors.ts";
import { applyJsonPatch, type JsonPatch } from "../json_patch.ts";
import { diffProject, recordProjectEvents } from "../oplog/events.ts";
import { onProjectChange } from "../scoring/triggers.ts";
import { publishEvents } from "../webhooks/events.ts";
import type { Project, ProjectInput } from "./projects.ts";

// The rules every project write shares, whichever verb makes it: what a patch may change and what
// it must leave in shape, how one environment edge is merged, and what a change records afterwards
// (its events and the rescore). The verbs are in ./project_verbs.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/**
 * The fields of a project a JSON Patch may change; blueprint attributes are extra keys, checked
 * against the blueprints of the project's (new) types when written.
 */
export const ProjectWritable = z
  .object({
    name: z.string().min(1).max(256),
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    description: z.string().max(8192),
    team: z.string().min(1).max(63),
    project_types: z.array(z.string().min(1).max(63)).min(1).max(32),
    environments: z.record(z.string(), z.record(z.string(), z.unknown())),
    links: z.record(z.string(), z.string().max(2048)),
    identifiers: z.record(z.string(), z.string().max(1024)),
  })
  .catchall(z.unknown())
  .meta({ description: "The fields of a project a JSON Patch may change, and its blueprint attributes" });

/** Document paths a patch may not touch (archived has its own operations; the score is the consumer's). */
export const READ_ONLY = ["id", "org_id", "created_at", "updated_at", "archived", "score"];

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
  const parsed = ProjectWritable.safeParse(next);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error, "json");
    throw new DomainError(
      "VALIDATION_FAILED",
      `The patched project is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
  }
  return parsed.data as ProjectInput;
}

/** A change of one DEPLOYED_IN edge: JSON Patch operations, or a merge object (null removes a key). */
export type EnvironmentChange = JsonPatch | Record<string, unknown>;

/** The edge's properties after `change`; they must stay an object, and `url` a string. */
export function mergeEnvironment(
  edge: Record<string, unknown>,
  change: EnvironmentChange,
): Record<string, unknown> {
  let props: Record<string, unknown>;
  if (Array.isArray(change)) props = applyJsonPatch(edge, change as JsonPatch);
  else {
    props = { ...edge };
    for (const [k, v] of Object.entries(change)) {
      if (v === null) delete props[k];
      else props[k] = v;
    }
  }
  // A patch replacing the root ("" path) can leave anything.
  if (typeof props !== "object" || props === null || Array.isArray(props))
    throw new DomainError("VALIDATION_FAILED", "The environment properties must stay an object.");
  if (props.url !== undefined && typeof props.url !== "string")
    throw new DomainError("VALIDATION_FAILED", "url must be a string.", [
      { location: "json.url", message: "must be a string" },
    ]);
  return props;
}

/**
 * Records a project change as events and asks for the project's rescore (both in the background;
 * never fails the call). An update that only touched environments is an `environment_change`.
 */
export async function recordChange(
  ctx: Ctx,
  action: "created" | "updated" | "deleted",
  before: Project | null,
  after: Project | null,
): Promise<void> {
  const projectId = (after ?? before)?.id ?? "";
  if (after) {
    const envOnly =
      before !== null &&
      JSON.stringify({ ...before, environments: null, updated_at: null }) ===
        JSON.stringify({ ...after, environments: null, updated_at: null });
    onProjectChange(ctx, projectId, envOnly ? "environment_change" : "project_change");
  }
  const org = orgOf(ctx);
  const changes = diffProject({ action, before, after });
  // An update that changed only bookkeeping fields is no event here either.
  if (changes.length > 0)
    await publishEvents(ctx.services, [
      {
        orgId: org.id,
        organization: org.slug,
        entityType: "project",
        entityId: projectId,
        action,
        projectId,
        team: (after ?? before)?.team ?? null,
        principal: ctx.actor.id,
        occurredAt: ctx.now().toISOString(),
        data: { changes: action === "deleted" ? [] : changes, project: after ?? before },
      },
    ]);
  await recordProjectEvents(ctx.services, {
    org: org.slug,
    projectId,
    action,
    before,
    after,
    principal: ctx.actor.id,
  });
}
