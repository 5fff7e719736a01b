import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokePermission } from "../../../lib/identity/roles.ts";
import { RolePermissionParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokePermission",
  method: "delete",
  path: "/roles/{slug}/permissions/{permission}",
  tags: ["admin"],
  summary: "Revoke a permission from a role",
  description:
    "System roles → 403; a permission the role does not grant directly → 404. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:update"],
  request: { params: RolePermissionParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "role:update");
  const { slug, permission } = c.req.valid("param");
  const s = c.get("services");
  await revokePermission(s.graph, slug, permission);
  s.audit({ event: "permission_revoked", actor: actor.email, subject: slug, details: { permission } });
  return c.body(null, 204);
};
