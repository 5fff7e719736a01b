import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listPermissions } from "../../../lib/identity/role_verbs.ts";
import { PageOnlyQuerySchema, PermissionPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listPermissions",
  method: "get",
  path: "/permissions",
  tags: ["admin"],
  summary: "List permissions",
  description: "The permission catalog (`resource:action`), by name. Any authenticated user may read it.",
  ...verbAccess(listPermissions),
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of permissions",
      content: { "application/json": { schema: PermissionPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listPermissions(ctxOf(c), q), q.limit), 200);
};
