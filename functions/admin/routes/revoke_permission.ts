import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokePermission } from "../../../lib/identity/role_verbs.ts";
import { RolePermissionParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokePermission",
  method: "delete",
  path: "/roles/{slug}/permissions/{permission}",
  tags: ["admin"],
  summary: "Revoke a permission from a role",
  description:
    "System roles → 403; a permission the role does not grant directly → 404. Needs role:update globally (an administrator, or a role in the system organization).",
  ...verbAccess(revokePermission),
  request: { params: RolePermissionParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokePermission(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
