import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createRole } from "../../../lib/identity/role_verbs.ts";
import { CreateRoleSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createRole",
  method: "post",
  path: "/roles",
  tags: ["admin"],
  summary: "Create a role",
  description:
    "Creates a custom role, optionally inheriting another role and with direct grants. Needs role:create globally (an administrator, or a role in the system organization).",
  ...verbAccess(createRole),
  request: {
    body: {
      description: "The new role",
      required: true,
      content: { "application/json": { schema: CreateRoleSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const role = await createRole(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "roles", role.slug));
  return c.json(await withEtag(c, role), 201);
};
