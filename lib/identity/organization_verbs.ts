import { z } from "zod";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFieldsAndAttributes } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { listMembers as storedMembers } from "./memberships.ts";
import * as store from "./organizations.ts";
import { membershipsOf } from "./permissions.ts";
import type { User } from "./users.ts";

// The organization operations, whichever door calls them. Creating one is global (not inside any
// organization); reading, changing and deleting one is decided in that organization (ADR 0005);
// the list shows what the actor may read. Storage is ./organizations.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on an organization (blueprint attributes are checked against the blueprints). */
export const OrganizationWritable = z
  .object({
    slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
  })
  .meta({ description: "The fields of an organization a JSON Patch may change" });

const READ_ONLY = ["id", "created_at", "updated_at"] as const;

/** A list page request: the page size and the cursor of the previous page. */
interface PageInput {
  limit: number;
  cursor?: string;
}

/** A member of an organization: the user and their role there. */
export type Member = User & { role: string };

const audit = (ctx: Ctx, event: string, organization: string, subject: string) =>
  ctx.audit({ event, organization, subject });

/**
 * Organizations by slug. With organization:read globally, all of them; otherwise the ones the
 * actor holds organization:read in (a role there that grants it), and a 403 when that is none:
 * listing organizations needs the permission somewhere, as in the reference.
 */
export const listOrganizations = defineVerb({
  name: "listOrganizations",
  access: {
    scope: "custom",
    permissions: ["organization:read"],
    rule: "every organization with organization:read globally; otherwise those you hold organization:read in (403 when none)",
  },
  async run(ctx, input: PageInput, auth): Promise<Page<store.Organization>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const { graph } = ctx.services;
    let slugs: string[] | undefined;
    if (!(await auth.can("organization:read", null))) {
      slugs = [];
      if (ctx.actor.kind === "user")
        for (const m of await membershipsOf(graph, ctx.actor.id)) {
          // The roles are read here once; the checks below then need no statement each.
          ctx.grants.remember(m.slug, m.role);
          if (await auth.can("organization:read", m.slug)) slugs.push(m.slug);
        }
      if (slugs.length === 0)
        throw new DomainError(
          "FORBIDDEN",
          "Permission denied: organization:read is required globally or in at least one of your organizations.",
        );
    }
    const rows = await store.listOrganizations(graph, {
      after: after ? String(after.s) : null,
      limit: input.limit,
      slugs,
    });
    return pageFrom(rows, input.limit, (o) => ({ s: o.slug }));
  },
});

/** Creates an organization (409 when the slug is taken); extra keys are blueprint attributes. */
export const createOrganization = defineVerb({
  name: "createOrganization",
  access: { scope: "global", permission: "organization:create" },
  async run(
    ctx,
    input: { slug: string; name: string; description?: string; [attribute: string]: unknown },
  ): Promise<store.Organization> {
    const org = await store.createOrganization(ctx.services.graph, input);
    audit(ctx, "organization_created", org.slug, org.id);
    return org;
  },
});

/** The organization acted in. */
export const getOrganization = defineVerb({
  name: "getOrganization",
  access: { scope: "organization", permission: "organization:read" },
  run: (ctx, _input: Record<string, never>) => store.getOrganization(ctx.services.graph, orgOf(ctx).slug),
});

/**
 * Applies a JSON Patch to the organization's fields and blueprint attributes (a new slug must be
 * unused). With `ifMatch` the write applies only to that version (412 otherwise).
 */
export const updateOrganization = defineVerb({
  name: "updateOrganization",
  access: { scope: "organization", permission: "organization:update" },
  async run(ctx, input: { patch: JsonPatch; ifMatch?: string }): Promise<store.Organization> {
    const { slug } = orgOf(ctx);
    const { graph } = ctx.services;
    const current = await store.getOrganization(graph, slug);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFieldsAndAttributes(current, input.patch, READ_ONLY, OrganizationWritable);
    const updated = await store.updateOrganization(
      graph,
      slug,
      next.fields,
      next.attributes,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "organization_updated", updated.slug, updated.id);
    return updated;
  },
});

/**
 * Deletes the organization and its memberships; 409 while it still owns anything, unless
 * `cascade`, which deletes all of it in one transaction.
 */
export const deleteOrganization = defineVerb({
  name: "deleteOrganization",
  access: { scope: "organization", permission: "organization:delete" },
  async run(ctx, input: { cascade: boolean }): Promise<void> {
    const { slug } = orgOf(ctx);
    await store.deleteOrganization(ctx.services.graph, slug, { cascade: input.cascade });
    audit(ctx, "organization_deleted", slug, slug);
  },
});

/** The organization's members with their role there, by email. */
export const listMembers = defineVerb({
  name: "listMembers",
  access: { scope: "organization", permission: "organization:read" },
  async run(ctx, input: PageInput): Promise<Page<Member>> {
    const after = cursorKey(decodeCursor(input.cursor), { e: "string" });
    const { slug } = orgOf(ctx);
    const rows = await storedMembers(ctx.services.graph, slug, {
      after: after ? String(after.e) : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (m) => ({ e: m.email }));
  },
});
