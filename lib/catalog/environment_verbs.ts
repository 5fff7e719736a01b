import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFieldsAndAttributes } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./environments.ts";
import type { PageInput } from "./team_verbs.ts";

// The environment operations, whichever door calls them (HTTP routes, MCP tools, webhook actions,
// CLI). Each declares its access once; the verb writes the audit row. Storage is ./environments.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on an environment (blueprint attributes are checked against the blueprints). */
export const EnvironmentWritable = z
  .object({
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
    sort_order: z.number().int().min(-1_000_000).max(1_000_000),
    label_color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "must be a #rrggbb colour")
      .nullable(),
    can_deploy: z.boolean(),
    can_promote: z.boolean(),
  })
  .meta({ description: "The fields of an environment a JSON Patch may change" });

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/** Creates an environment in the organization (409 when the slug is taken). */
export const createEnvironment = defineVerb({
  name: "createEnvironment",
  access: { scope: "organization", permission: "environment:create" },
  async run(
    ctx,
    input: Pick<store.EnvironmentFields, "slug" | "name"> &
      Partial<store.EnvironmentFields> & { [attribute: string]: unknown },
  ) {
    const environment = await store.createEnvironment(ctx.services.graph, orgOf(ctx), input);
    audit(ctx, "environment_created", environment.slug);
    return environment;
  },
});

/** One environment by slug. */
export const getEnvironment = defineVerb({
  name: "getEnvironment",
  access: { scope: "organization", permission: "environment:read" },
  run: (ctx, input: { environment: string }) =>
    store.getEnvironment(ctx.services.graph, orgOf(ctx), input.environment),
});

/** The organization's environments by sort_order, then slug. */
export const listEnvironments = defineVerb({
  name: "listEnvironments",
  access: { scope: "organization", permission: "environment:read" },
  async run(ctx, input: PageInput): Promise<Page<store.Environment>> {
    const after = cursorKey(decodeCursor(input.cursor), { o: "number", s: "string" });
    const rows = await store.listEnvironments(ctx.services.graph, orgOf(ctx), {
      after: after ? { sort_order: Number(after.o), slug: String(after.s) } : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (e) => ({ o: e.sort_order, s: e.slug }));
  },
});

/**
 * Applies a JSON Patch to an environment's fields and blueprint attributes. With `ifMatch` (an ETag
 * of the environment) the write applies only to that version: 412 when it changed, before or during
 * the write.
 */
export const updateEnvironment = defineVerb({
  name: "updateEnvironment",
  access: { scope: "organization", permission: "environment:update" },
  async run(ctx, input: { environment: string; patch: JsonPatch; ifMatch?: string }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const current = await store.getEnvironment(graph, org, input.environment);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFieldsAndAttributes(current, input.patch, READ_ONLY, EnvironmentWritable);
    const updated = await store.updateEnvironment(
      graph,
      org,
      input.environment,
      next.fields,
      unchangedSince(input.ifMatch, current.updated_at),
      next.attributes,
    );
    audit(ctx, "environment_updated", updated.slug);
    return updated;
  },
});

/** Deletes an environment; 409 while projects are deployed in it unless `cascade` removes those edges. */
export const deleteEnvironment = defineVerb({
  name: "deleteEnvironment",
  access: { scope: "organization", permission: "environment:delete" },
  async run(ctx, input: { environment: string; cascade: boolean }) {
    const result = await store.deleteEnvironment(ctx.services.graph, orgOf(ctx), input.environment, {
      cascade: input.cascade,
    });
    audit(ctx, "environment_deleted", input.environment);
    return result;
  },
});
