import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getRole } from "../../../lib/identity/roles.ts";
import { RoleParamSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getRole",
  method: "get",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Get a role",
  description: "A role with its direct grants and parent. Any authenticated user may read roles.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:read"],
  request: { params: RoleParamSchema },
  responses: {
    200: { description: "The role", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const role = await getRole(c.get("services").graph, c.req.valid("param").slug);
  return c.json(await withEtag(c, role), 200);
};
