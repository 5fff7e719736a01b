import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listRoles } from "../../../lib/identity/role_verbs.ts";
import { PageOnlyQuerySchema, RolePageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listRoles",
  method: "get",
  path: "/roles",
  tags: ["admin"],
  summary: "List roles",
  description:
    "Every role, highest priority first. Roles are global definitions used in every organization: " +
    "role:read held in any of your organizations (or globally) reads them.",
  ...verbAccess(listRoles),
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: { description: "One page of roles", content: { "application/json": { schema: RolePageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listRoles(ctxOf(c), q), q.limit), 200);
};
