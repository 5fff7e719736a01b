import { createRoute } from "@hono/zod-openapi";
import { getDependencyClosure } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ClosureQuerySchema, ClosureSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDependencyClosure",
  method: "get",
  path: "/organizations/{org}/projects/{id}/dependencies/closure",
  tags: ["graph"],
  summary: "A project's whole transitive dependency closure",
  description:
    "Everything reachable downstream or upstream, each at its minimum depth, nearest first; capped at " +
    "10,000 projects with `truncated` set. Needs project:read.",
  ...verbAccess(getDependencyClosure),
  request: { params: ProjectParamSchema, query: ClosureQuerySchema },
  responses: {
    200: { description: "The closure", content: { "application/json": { schema: ClosureSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { direction } = c.req.valid("query");
  return c.json(await getDependencyClosure(ctxOf(c), { id: c.req.valid("param").id, direction }), 200);
};
