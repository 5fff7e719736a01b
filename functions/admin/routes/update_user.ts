import { createRoute } from "@hono/zod-openapi";
import { revokeAllSessions } from "../../../lib/auth/tokens.ts";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { getUserWithOrganizations, normalizeEmail, updateUser } from "../../../lib/identity/users.ts";
import { EmailParamSchema, UserDetailSchema, UserWritableSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateUser",
  method: "patch",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Update a user",
  description:
    "JSON Patch over display_name, is_active and is_admin. Users may change their own display_name; " +
    "is_active and is_admin are for administrators. Deactivating a user revokes all their sessions.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:update"],
  request: {
    params: EmailParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the user's writable fields"),
  },
  responses: {
    200: { description: "The updated user", content: { "application/json": { schema: UserDetailSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

const READ_ONLY = ["email", "created_at", "updated_at", "organizations"] as const;

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const email = normalizeEmail(c.req.valid("param").email);
  const actor = await requireAuth(c);
  if (actor.email !== email) await requirePermission(c, "user:update");
  const s = c.get("services");
  const current = await getUserWithOrganizations(s.graph, email);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFields(current, c.req.valid("json"), READ_ONLY, UserWritableSchema);
  const flagsChanged = next.is_admin !== current.is_admin || next.is_active !== current.is_active;
  if (flagsChanged && !actor.isAdmin)
    throw new ApiError({
      code: "FORBIDDEN",
      detail: "Only administrators can change is_active or is_admin.",
    });
  if (flagsChanged && actor.email === email)
    throw new ApiError({
      code: "BAD_REQUEST",
      detail: "You cannot change your own is_active or is_admin; ask another administrator.",
    });

  // With If-Match the write only applies if nobody changed it since the check (else 412).
  await updateUser(s.graph, email, next, unchangedSince(ifMatch, current.updated_at));
  if (current.is_active && !next.is_active) await revokeAllSessions(s, email, "user deactivated");
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
  s.audit({
    event: "user_updated",
    actor: actor.email,
    subject: email,
    details: Object.fromEntries(changed.map((k) => [k, { old: current[k], new: next[k] }])),
  });
  if (next.is_admin !== current.is_admin)
    s.audit({
      event: "role_changed",
      actor: actor.email,
      subject: email,
      details: { is_admin: next.is_admin },
    });
  return c.json(await withEtag(c, await getUserWithOrganizations(s.graph, email)), 200);
};
