import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createUser } from "../../../lib/identity/user_verbs.ts";
import { CreateUserSchema, UserDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createUser",
  method: "post",
  path: "/users",
  tags: ["admin"],
  summary: "Create a user",
  description:
    "Creates a local user. A password, when given, must meet the password policy. Needs user:create globally (an administrator, or a role in the system organization).",
  ...verbAccess(createUser),
  request: {
    body: {
      description: "The new user",
      required: true,
      content: { "application/json": { schema: CreateUserSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: UserDetailSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const user = await createUser(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "users", user.email));
  return c.json(await withEtag(c, user), 201);
};
