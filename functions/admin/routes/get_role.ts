import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getRole } from "../../../lib/identity/role_verbs.ts";
import { RoleParamSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getRole",
  method: "get",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Get a role",
  description:
    "A role with its direct grants and parent. Needs role:read in any of your organizations (or globally).",
  ...verbAccess(getRole),
  request: { params: RoleParamSchema },
  responses: {
    200: { description: "The role", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const role = await getRole(ctxOf(c), c.req.valid("param"));
  return c.json(await withEtag(c, role), 200);
};
