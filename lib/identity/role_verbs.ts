import { z } from "zod";
import { PERMISSIONS } from "../auth/catalog.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, type Page, pageFrom } from "../pagination.ts";
import * as store from "./roles.ts";

// Roles and the permission catalog, whichever door calls them. Roles are global definitions used
// in every organization: reading them needs role:read in any organization the actor belongs to,
// writing them role:create|update|delete globally (ADR 0009). Storage is ./roles.ts.

const SLUG = /^[a-z][a-z0-9-]*$/;

/** What a patch may change on a custom role (grants change through grant/revoke). */
export const RoleWritable = z
  .object({
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
    priority: z.number().int().min(0).max(10_000),
    inherits_from: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$").nullable(),
  })
  .meta({ description: "The fields of a role a JSON Patch may change" });

const READ_ONLY = ["slug", "is_system", "is_default", "permissions", "created_at", "updated_at"] as const;

/** A list page request: the page size and the cursor of the previous page. */
interface PageInput {
  limit: number;
  cursor?: string;
}

/** One entry of the permission catalog. */
export interface PermissionEntry {
  name: string;
  resource: string;
  action: string;
}

// Isolate-safe: derived once from the constant catalog.
const CATALOG: readonly PermissionEntry[] = [...PERMISSIONS].sort().map((name) => {
  const i = name.lastIndexOf(":");
  return { name, resource: name.slice(0, i), action: name.slice(i + 1) };
});

/** Every role, highest priority first (then by slug). */
export const listRoles = defineVerb({
  name: "listRoles",
  access: { scope: "anywhere", permission: "role:read" },
  async run(ctx, input: PageInput): Promise<Page<store.Role>> {
    const after = cursorKey(decodeCursor(input.cursor), { p: "number", s: "string" });
    const rows = await store.listRolesPage(ctx.services.graph, {
      after: after ? { priority: Number(after.p), slug: String(after.s) } : null,
      limit: input.limit,
    });
    return pageFrom(rows, input.limit, (r) => ({ p: r.priority, s: r.slug }));
  },
});

/** One role with its direct grants and parent. */
export const getRole = defineVerb({
  name: "getRole",
  access: { scope: "anywhere", permission: "role:read" },
  run: (ctx, input: { slug: string }) => store.getRole(ctx.services.graph, input.slug),
});

/** The permission catalog by name: what roles can grant, for anyone logged in. */
export const listPermissions = defineVerb({
  name: "listPermissions",
  access: { scope: "authenticated" },
  async run(_ctx, input: PageInput): Promise<Page<PermissionEntry>> {
    const after = cursorKey(decodeCursor(input.cursor), { n: "string" });
    const rows = CATALOG.filter((p) => !after || p.name > String(after.n)).slice(0, input.limit + 1);
    return pageFrom(rows, input.limit, (p) => ({ n: p.name }));
  },
});

/** Creates a custom role, optionally inheriting another and with direct grants (409 when taken). */
export const createRole = defineVerb({
  name: "createRole",
  access: { scope: "global", permission: "role:create" },
  async run(
    ctx,
    input: {
      slug: string;
      name: string;
      description?: string;
      priority?: number;
      inherits_from?: string | null;
      permissions?: string[];
    },
  ): Promise<store.Role> {
    const role = await store.createRole(ctx.services.graph, input);
    ctx.audit({
      event: "role_created",
      subject: role.slug,
      details: { inherits_from: role.inherits_from, permissions: role.permissions },
    });
    return role;
  },
});

/**
 * Applies a JSON Patch to a custom role (system roles → 400). With `ifMatch` the write applies only
 * to that version (412 otherwise).
 */
export const updateRole = defineVerb({
  name: "updateRole",
  access: { scope: "global", permission: "role:update" },
  async run(ctx, input: { slug: string; patch: JsonPatch; ifMatch?: string }): Promise<store.Role> {
    const { graph } = ctx.services;
    const current = await store.getRole(graph, input.slug);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, RoleWritable);
    const role = await store.updateRole(
      graph,
      input.slug,
      next,
      unchangedSince(input.ifMatch, current.updated_at),
    );
    ctx.audit({
      event: "role_updated",
      subject: input.slug,
      details: { inherits_from: role.inherits_from, priority: role.priority },
    });
    return role;
  },
});

/** Deletes a custom role: system roles → 400, one still held or inherited → 409. */
export const deleteRole = defineVerb({
  name: "deleteRole",
  access: { scope: "global", permission: "role:delete" },
  async run(ctx, input: { slug: string }): Promise<void> {
    await store.deleteRole(ctx.services.graph, input.slug);
    ctx.audit({ event: "role_deleted", subject: input.slug });
  },
});

/** Grants a permission to a custom role (idempotent; system roles → 403, unknown permission → 400). */
export const grantPermission = defineVerb({
  name: "grantPermission",
  access: { scope: "global", permission: "role:update" },
  async run(ctx, input: { slug: string; permission: string }): Promise<store.Role> {
    const role = await store.grantPermission(ctx.services.graph, input.slug, input.permission);
    ctx.audit({
      event: "permission_granted",
      subject: input.slug,
      details: { permission: input.permission },
    });
    return role;
  },
});

/** Revokes a permission from a custom role (system roles → 403; not granted directly → 404). */
export const revokePermission = defineVerb({
  name: "revokePermission",
  access: { scope: "global", permission: "role:update" },
  async run(ctx, input: { slug: string; permission: string }): Promise<void> {
    await store.revokePermission(ctx.services.graph, input.slug, input.permission);
    ctx.audit({
      event: "permission_revoked",
      subject: input.slug,
      details: { permission: input.permission },
    });
  },
});
