import { createRoute } from "@hono/zod-openapi";
import { listProjectFacets } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { FacetListSchema, FacetQuerySchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listProjectFacets",
  method: "get",
  path: "/organizations/{org}/projects/facets",
  tags: ["projects"],
  summary: "Count projects per value of a field",
  description:
    "Counts for team, project_type, environment, archived or a blueprint attribute, under the list's filters.",
  ...verbAccess(listProjectFacets),
  request: { params: OrgParamSchema, query: FacetQuerySchema },
  responses: {
    200: {
      description: "Value counts, most frequent first",
      content: { "application/json": { schema: FacetListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await listProjectFacets(ctxOf(c), c.req.valid("query")), 200);
};
