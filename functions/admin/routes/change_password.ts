import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { changePassword } from "../../../lib/identity/user_verbs.ts";
import { ChangePasswordSchema, EmailParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "changePassword",
  method: "post",
  path: "/users/{email}/password",
  tags: ["admin"],
  summary: "Change a password",
  description:
    "Users change their own password with current_password; resetting another user's password (without " +
    "it) needs user:update globally (an administrator, or a role in the system organization). Every other session of the user is revoked.",
  ...verbAccess(changePassword),
  request: {
    params: EmailParamSchema,
    body: {
      description: "Old and new password",
      required: true,
      content: { "application/json": { schema: ChangePasswordSchema } },
    },
  },
  responses: {
    204: { description: "Changed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await changePassword(ctxOf(c), { ...c.req.valid("json"), email: c.req.valid("param").email });
  return c.body(null, 204);
};
