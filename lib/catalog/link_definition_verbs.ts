import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./link_definitions.ts";
import type { PageInput } from "./team_verbs.ts";

// The link-definition operations, whichever door calls them (HTTP routes, MCP tools, webhook
// actions, CLI). Each declares its access once; the verb writes the audit row. Storage is
// ./link_definitions.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on a link definition (it has no blueprint attributes). */
export const LinkDefinitionWritable = z
  .object({
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
    url_template: store.UrlTemplate,
  })
  .meta({ description: "The fields of a link definition a JSON Patch may change" });

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

const audit = (ctx: Ctx, event: string, subject: string) =>
  ctx.audit({ event, organization: orgOf(ctx).slug, subject });

/** Creates a link definition in the organization (409 when the slug is taken). */
export const createLinkDefinition = defineVerb({
  name: "createLinkDefinition",
  access: { scope: "organization", permission: "link_definition:create" },
  async run(ctx, input: Omit<store.LinkDefinitionFields, "description"> & { description?: string }) {
    const definition = await store.createLinkDefinition(ctx.services.graph, orgOf(ctx), input);
    audit(ctx, "link_definition_created", definition.slug);
    return definition;
  },
});

/** One link definition by slug. */
export const getLinkDefinition = defineVerb({
  name: "getLinkDefinition",
  access: { scope: "organization", permission: "link_definition:read" },
  run: (ctx, input: { link_definition: string }) =>
    store.getLinkDefinition(ctx.services.graph, orgOf(ctx), input.link_definition),
});

/** The organization's link definitions by slug: the keys of project links. */
export const listLinkDefinitions = defineVerb({
  name: "listLinkDefinitions",
  access: { scope: "organization", permission: "link_definition:read" },
  async run(ctx, input: PageInput): Promise<Page<store.LinkDefinition>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listLinkDefinitions(ctx.services.graph, orgOf(ctx), {
      after: after ? String(after.s) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (l) => ({ s: l.slug }));
  },
});

/**
 * Applies a JSON Patch to a link definition. A slug change is refused (409) while projects have
 * links under the old slug. With `ifMatch` (an ETag of the definition) the write applies only to
 * that version: 412 when it changed, before or during the write.
 */
export const updateLinkDefinition = defineVerb({
  name: "updateLinkDefinition",
  access: { scope: "organization", permission: "link_definition:write" },
  async run(ctx, input: { link_definition: string; patch: JsonPatch; ifMatch?: string }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const current = await store.getLinkDefinition(graph, org, input.link_definition);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, LinkDefinitionWritable);
    const updated = await store.updateLinkDefinition(
      graph,
      org,
      input.link_definition,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "link_definition_updated", updated.slug);
    return updated;
  },
});

/** Deletes a link definition; 409 while any project of the organization has a link under its slug. */
export const deleteLinkDefinition = defineVerb({
  name: "deleteLinkDefinition",
  access: { scope: "organization", permission: "link_definition:delete" },
  async run(ctx, input: { link_definition: string }) {
    await store.deleteLinkDefinition(ctx.services.graph, orgOf(ctx), input.link_definition);
    audit(ctx, "link_definition_deleted", input.link_definition);
  },
});
