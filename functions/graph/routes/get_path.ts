import { createRoute } from "@hono/zod-openapi";
import { getPath } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, PathQuerySchema, PathSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getPath",
  method: "get",
  path: "/organizations/{org}/graph/path",
  tags: ["graph"],
  summary: "The shortest dependency path between two projects",
  description:
    "Follows DEPENDS_ON edges from `from` towards `to` (at most 20 hops); 404 when there is no such path. " +
    "Needs project:read.",
  ...verbAccess(getPath),
  request: { params: OrgParamSchema, query: PathQuerySchema },
  responses: {
    200: { description: "The path, in order", content: { "application/json": { schema: PathSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getPath(ctxOf(c), c.req.valid("query")), 200);
};
