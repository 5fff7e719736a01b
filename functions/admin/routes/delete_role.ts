import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteRole } from "../../../lib/identity/role_verbs.ts";
import { RoleParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteRole",
  method: "delete",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Delete a role",
  description:
    "Deletes a custom role. System roles → 400; a role still held by a membership or inherited by " +
    "another role → 409. Needs role:delete globally (an administrator, or a role in the system organization).",
  ...verbAccess(deleteRole),
  request: { params: RoleParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteRole(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
