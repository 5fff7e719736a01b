import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getUser } from "../../../lib/identity/user_verbs.ts";
import { EmailParamSchema, UserDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getUser",
  method: "get",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Get a user",
  description:
    "A user with their organizations and roles. Users may read themselves; reading anyone else needs user:read globally (an administrator, or a role in the system organization).",
  ...verbAccess(getUser),
  request: { params: EmailParamSchema },
  responses: {
    200: { description: "The user", content: { "application/json": { schema: UserDetailSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const user = await getUser(ctxOf(c), c.req.valid("param"));
  return c.json(await withEtag(c, user), 200);
};
