import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFieldsAndAttributes } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./project_types.ts";
import type { PageInput } from "./team_verbs.ts";

// The project-type operations, whichever door calls them (HTTP routes, MCP tools, webhook actions,
// CLI). Each declares its access once; the verb writes the audit row. Storage is ./project_types.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on a project type (blueprint attributes are checked against the blueprints). */
export const ProjectTypeWritable = z
  .object({
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
    deployable: z.boolean(),
    releasable: z.boolean(),
  })
  .meta({ description: "The fields of a project type a JSON Patch may change" });

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/** Creates a project type in the organization (409 when the slug is taken). */
export const createProjectType = defineVerb({
  name: "createProjectType",
  access: { scope: "organization", permission: "project_type:create" },
  async run(
    ctx,
    input: Pick<store.ProjectTypeFields, "slug" | "name"> &
      Partial<store.ProjectTypeFields> & { [attribute: string]: unknown },
  ) {
    const projectType = await store.createProjectType(ctx.services.graph, orgOf(ctx), input);
    audit(ctx, "project_type_created", projectType.slug);
    return projectType;
  },
});

/** One project type by slug. */
export const getProjectType = defineVerb({
  name: "getProjectType",
  access: { scope: "organization", permission: "project_type:read" },
  run: (ctx, input: { project_type: string }) =>
    store.getProjectType(ctx.services.graph, orgOf(ctx), input.project_type),
});

/** The organization's project types by slug. */
export const listProjectTypes = defineVerb({
  name: "listProjectTypes",
  access: { scope: "organization", permission: "project_type:read" },
  async run(ctx, input: PageInput): Promise<Page<store.ProjectType>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listProjectTypes(ctx.services.graph, orgOf(ctx), {
      after: after ? String(after.s) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (t) => ({ s: t.slug }));
  },
});

/**
 * Applies a JSON Patch to a project type's fields and blueprint attributes. With `ifMatch` (an ETag
 * of the project type) the write applies only to that version: 412 when it changed, before or
 * during the write.
 */
export const updateProjectType = defineVerb({
  name: "updateProjectType",
  access: { scope: "organization", permission: "project_type:update" },
  async run(ctx, input: { project_type: string; patch: JsonPatch; ifMatch?: string }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const current = await store.getProjectType(graph, org, input.project_type);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFieldsAndAttributes(current, input.patch, READ_ONLY, ProjectTypeWritable);
    const updated = await store.updateProjectType(
      graph,
      org,
      input.project_type,
      next.fields,
      unchangedSince(input.ifMatch, current.updated_at),
      next.attributes,
    );
    audit(ctx, "project_type_updated", updated.slug);
    return updated;
  },
});

/** Deletes a project type; 409 while any project has it (no cascade: a project keeps a type). */
export const deleteProjectType = defineVerb({
  name: "deleteProjectType",
  access: { scope: "organization", permission: "project_type:delete" },
  async run(ctx, input: { project_type: string }) {
    await store.deleteProjectType(ctx.services.graph, orgOf(ctx), input.project_type);
    audit(ctx, "project_type_deleted", input.project_type);
  },
});
