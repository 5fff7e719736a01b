import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createUser } from "../../../lib/identity/users.ts";
import { CreateUserSchema, UserDetailSchema } from "../schemas.ts";
import { assertPasswordPolicy } from "../support.ts";

export const route = createRoute({
  operationId: "createUser",
  method: "post",
  path: "/users",
  tags: ["admin"],
  summary: "Create a user",
  description:
    "Creates a local user. A password, when given, must meet the password policy. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:create"],
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
  const actor = await requirePermission(c, "user:create");
  const body = c.req.valid("json");
  if (body.password !== undefined) assertPasswordPolicy(body.password, c.env, "json.password");
  const s = c.get("services");
  const user = await createUser(s.graph, body);
  s.audit({
    event: "user_created",
    actor: actor.email,
    subject: user.email,
    details: { is_admin: user.is_admin },
  });
  c.header("Location", locationOf(c, "users", user.email));
  return c.json(await withEtag(c, { ...user, organizations: [] }), 201);
};
