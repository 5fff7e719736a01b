import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createRole } from "../../../lib/identity/roles.ts";
import { CreateRoleSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createRole",
  method: "post",
  path: "/roles",
  tags: ["admin"],
  summary: "Create a role",
  description:
    "Creates a custom role, optionally inheriting another role and with direct grants. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:create"],
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
  const actor = await requirePermission(c, "role:create");
  const s = c.get("services");
  const role = await createRole(s.graph, c.req.valid("json"));
  s.audit({
    event: "role_created",
    actor: actor.email,
    subject: role.slug,
    details: { inherits_from: role.inherits_from, permissions: role.permissions },
  });
  c.header("Location", locationOf(c, "roles", role.slug));
  return c.json(await withEtag(c, role), 201);
};
