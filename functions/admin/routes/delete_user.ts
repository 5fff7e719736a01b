import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteUser } from "../../../lib/identity/user_verbs.ts";
import { EmailParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteUser",
  method: "delete",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Delete a user",
  description:
    "Deletes a user and their memberships and revokes their sessions. You cannot delete yourself. " +
    "Needs user:delete globally (an administrator, or a role in the system organization).",
  ...verbAccess(deleteUser),
  request: { params: EmailParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteUser(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
