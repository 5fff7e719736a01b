import { createRoute } from "@hono/zod-openapi";
import { getDependencies } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { DependenciesQuerySchema, NeighbourhoodSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDependencies",
  method: "get",
  path: "/organizations/{org}/projects/{id}/dependencies",
  tags: ["graph"],
  summary: "A project's dependency neighbourhood to a depth",
  description:
    "Projects within `depth` DEPENDS_ON hops downstream (what it depends on) or upstream (what depends on it), " +
    "each at its minimum depth, and the edges among them. Needs project:read.",
  ...verbAccess(getDependencies),
  request: { params: ProjectParamSchema, query: DependenciesQuerySchema },
  responses: {
    200: {
      description: "The neighbourhood",
      content: { "application/json": { schema: NeighbourhoodSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { direction, depth } = c.req.valid("query");
  return c.json(await getDependencies(ctxOf(c), { id: c.req.valid("param").id, direction, depth }), 200);
};
