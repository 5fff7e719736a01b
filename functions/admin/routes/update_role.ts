import { createRoute } from "@hono/zod-openapi";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { getRole, updateRole } from "../../../lib/identity/roles.ts";
import { RoleParamSchema, RoleSchema, RoleWritableSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateRole",
  method: "patch",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Update a role",
  description:
    "JSON Patch over name, description, priority and inherits_from of a custom role. System roles are " +
    "immutable (400); grants change through the permissions sub-resource. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:update"],
  request: {
    params: RoleParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the role's writable fields"),
  },
  responses: {
    200: { description: "The updated role", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

const READ_ONLY = ["slug", "is_system", "is_default", "permissions", "created_at", "updated_at"] as const;

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "role:update");
  const { slug } = c.req.valid("param");
  const s = c.get("services");
  const current = await getRole(s.graph, slug);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFields(current, c.req.valid("json"), READ_ONLY, RoleWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const role = await updateRole(s.graph, slug, next, unchangedSince(ifMatch, current.updated_at));
  s.audit({
    event: "role_updated",
    actor: actor.email,
    subject: slug,
    details: { inherits_from: role.inherits_from, priority: role.priority },
  });
  return c.json(await withEtag(c, role), 200);
};
