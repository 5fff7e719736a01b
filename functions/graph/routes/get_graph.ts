import { createRoute } from "@hono/zod-openapi";
import { getGraph } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { GraphQuerySchema, OrgGraphSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getGraph",
  method: "get",
  path: "/organizations/{org}/graph",
  tags: ["graph"],
  summary: "An organization's whole project dependency graph",
  description:
    "Every project matching the filters and the DEPENDS_ON edges among them (with include_external, also " +
    "edges to other projects, which are flagged external), for visualisation. Needs project:read.",
  ...verbAccess(getGraph),
  request: { params: OrgParamSchema, query: GraphQuerySchema },
  responses: {
    200: { description: "The graph", content: { "application/json": { schema: OrgGraphSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { include_external, ...filters } = c.req.valid("query");
  return c.json(await getGraph(ctxOf(c), { ...filters, includeExternal: include_external }), 200);
};
